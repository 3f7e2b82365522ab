package dev.nightjar.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The first-start admin signs in with the printed password, creates an API key on the settings page,
 * revokes it, and the REST API then refuses that key.
 */
class DashboardBrowserIT {

    @Test
    void adminSignsInCreatesAndRevokesAKey(@TempDir Path dataDir, @TempDir Path profile) {
        ChromeDriver browser = Browser.start(profile);
        try (ServerProcess server = ServerProcess.start(dataDir, Map.of())) {
            String password = server.bannerValue("Password").orElseThrow();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            String base = "http://localhost:" + server.port();

            browser.get(base + "/settings/api-keys");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-form")));
            assertThat(browser.getTitle()).isEqualTo("Sign in · Nightjar");
            Browser.screenshot(browser, "01-login");

            signIn(browser, wait, "admin", "definitely-wrong-password");
            wait.until(ExpectedConditions.urlContains("error"));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-form")));

            signIn(browser, wait, "admin", password);
            WebElement user = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-user")));
            assertThat(user.getText()).isEqualTo("admin");
            wait.until(ExpectedConditions.titleIs("Overview · Nightjar"));
            WebElement hint = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("send-data-hint")));
            assertThat(hint.getText()).contains("OTEL_EXPORTER_OTLP_ENDPOINT");
            Browser.screenshot(browser, "02-overview");

            browser.get(base + "/settings/api-keys");
            WebElement name =
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#key-name input")));
            name.sendKeys("browser test key");
            browser.findElement(By.id("create-key")).click();
            WebElement secretField =
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#new-key-secret input")));
            wait.until(d -> !secretField.getDomProperty("value").isEmpty());
            String secret = secretField.getDomProperty("value");
            assertThat(secret).startsWith("nj_");
            Browser.screenshot(browser, "03-key-created");
            browser.findElement(By.id("close-key-dialog")).click();

            assertThat(server.get("/api/v1/whoami", secret).statusCode()).isEqualTo(200);

            By revokeButton = By.cssSelector("vaadin-button[data-key-prefix='" + secret.substring(0, 10) + "']");
            wait.until(ExpectedConditions.elementToBeClickable(revokeButton)).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-revoke")))
                    .click();
            // The grid re-renders its rows after the revoke, so a button found a moment ago can go stale.
            wait.ignoring(StaleElementReferenceException.class)
                    .until(d -> d.findElement(revokeButton).getDomAttribute("disabled") != null);
            Browser.screenshot(browser, "04-key-revoked");

            assertThat(server.get("/api/v1/whoami", secret).statusCode()).isEqualTo(401);
        } finally {
            browser.quit();
        }
    }

    static void signIn(ChromeDriver browser, WebDriverWait wait, String user, String password) {
        WebElement username = wait.until(
                ExpectedConditions.elementToBeClickable(By.cssSelector("vaadin-login-form input[name='username']")));
        username.clear();
        username.sendKeys(user);
        WebElement passwordField = browser.findElement(By.cssSelector("vaadin-login-form input[name='password']"));
        passwordField.clear();
        passwordField.sendKeys(password);
        browser.findElement(By.cssSelector(
                        "vaadin-login-form vaadin-button[slot='submit'], vaadin-login-form vaadin-button"))
                .click();
    }
}
