package dev.nightjar.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A second tenant with one API key, written straight into the database (no API creates tenants yet),
 * for tests that prove one tenant cannot see another's data.
 */
final class OtherTenant {
    private OtherTenant() {}

    static UUID insertWithKey(DataSource database, String key, String keyName, Set<String> scopes) throws Exception {
        UUID tenant = UUID.randomUUID();
        try (Connection db = database.getConnection()) {
            try (PreparedStatement insert =
                    db.prepareStatement("insert into tenants (id, slug, name) values (?, ?, ?)")) {
                insert.setObject(1, tenant);
                insert.setString(2, "tenant-" + tenant.toString().substring(0, 8));
                insert.setString(3, "Tenant B");
                insert.executeUpdate();
            }
            try (PreparedStatement insert =
                    db.prepareStatement("insert into api_keys (id, tenant_id, name, display_prefix, key_hash, scopes)"
                            + " values (?, ?, ?, ?, ?, ?)")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, tenant);
                insert.setString(3, keyName);
                insert.setString(4, key.substring(0, 10));
                insert.setBytes(5, MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
                insert.setArray(6, db.createArrayOf("varchar", scopes.toArray()));
                insert.executeUpdate();
            }
        }
        return tenant;
    }
}
