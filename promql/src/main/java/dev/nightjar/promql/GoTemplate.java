package dev.nightjar.promql;

/** Go's regexp Expand for label_replace: {@code $1}, {@code ${1}}, {@code $name}, {@code $$}. */
final class GoTemplate {

    private GoTemplate() {}

    /**
     * Expands {@code template} with {@code m}'s groups; {@code groupNames} maps the regular
     * expression's group names to the Java names they were compiled under ({@link Re2}).
     */
    static String expand(
            String template, java.util.regex.Matcher m, java.util.Map<String, java.util.List<String>> groupNames) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
            } else {
                end = i + 1;
                while (end < template.length() && isNameChar(template.charAt(end))) {
                    end++;
                }
                name = template.substring(i + 1, end);
            }
            if (name.isEmpty() || !name.chars().allMatch(ch -> isNameChar((char) ch))) {
                out.append(c);
                i++;
                continue;
            }
            out.append(group(m, name, groupNames));
            i = end;
        }
        return out.toString();
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static String group(
            java.util.regex.Matcher m, String name, java.util.Map<String, java.util.List<String>> groupNames) {
        String value;
        if (name.chars().allMatch(Character::isDigit)) {
            int index;
            try {
                index = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                return "";
            }
            value = index <= m.groupCount() ? m.group(index) : null;
        } else {
            value = null;
            for (String javaName : groupNames.getOrDefault(name, java.util.List.of())) {
                value = m.group(javaName);
                if (value != null) {
                    break;
                }
            }
        }
        return value == null ? "" : value;
    }
}
