package dev.nightjar.promql;

import dev.nightjar.promql.Lexer.Kind;
import dev.nightjar.promql.Lexer.Token;
import java.util.List;

/** The parser's position in a query's tokens, and its errors, which name the position. */
final class TokenCursor {

    private final List<Token> tokens;
    private int index;

    TokenCursor(List<Token> tokens) {
        this.tokens = tokens;
    }

    Token peek() {
        return tokens.get(index);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    Token take() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.EOF) {
            index++;
        }
        return t;
    }

    Token expect(Kind kind, String what) {
        Token t = peek();
        if (t.kind() != kind) {
            throw error("unexpected " + describe(t) + ", expected " + what);
        }
        return take();
    }

    String describe(Token t) {
        return switch (t.kind()) {
            case EOF -> "end of input";
            case IDENT -> "identifier \"" + t.text() + "\"";
            case STRING -> "string";
            default -> "\"" + t.text() + "\"";
        };
    }

    PromqlException error(String message) {
        return PromqlException.badData("1:" + (peek().pos() + 1) + ": parse error: " + message);
    }

    boolean isKeyword(Token t, String word) {
        return t.kind() == Kind.IDENT && t.text().equalsIgnoreCase(word);
    }
}
