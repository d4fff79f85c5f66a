package dev.bazahunt.kql;

import dev.bazahunt.kql.KqlToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the KQL subset that Microsoft's BazaCall hunting queries are written in:
 *
 * <pre>
 * query     := Table ('|' 'where' condition)*
 * condition := conjunct ('or' conjunct)*          // 'and' binds tighter than 'or', as in KQL
 * conjunct  := unary ('and' unary)*
 * unary     := 'not' '(' condition ')' | '(' condition ')'
 *            | ('isempty' | 'isnotempty') '(' Column ')'
 *            | Column operator value | Column list-operator '(' value (',' value)* ')'
 *            | Column 'matches' 'regex' value
 * </pre>
 *
 * Anything else, another tabular operator ({@code join}, {@code extend}, {@code project}), a function,
 * a number, is refused with its line and column instead of being half-understood: a detection that
 * silently means something else than its text is worse than one that does not load.
 */
public final class KqlParser {
    private final KqlLexer lexer;
    /** The next token, read but not yet taken; null when none has been read. */
    private KqlToken lookahead;

    private KqlParser(KqlLexer lexer) {
        this.lexer = lexer;
    }

    /** Parses {@code query}; throws {@link KqlSyntaxException} with the position of the first problem. */
    public static KqlQuery parse(String query) {
        return new KqlParser(new KqlLexer(query)).query();
    }

    private KqlQuery query() {
        KqlToken table = peek();
        if (table.kind() != Kind.NAME) {
            throw error(table, "a query starts with a table name, found " + table.describe());
        }
        if (table.text().equals("let")) {
            throw error(table, "'let' statements are not supported; a query is 'Table | where …'");
        }
        take();
        List<KqlCondition> filters = new ArrayList<>();
        while (peek().kind() == Kind.PIPE) {
            take();
            KqlToken operator = peek();
            if (!operator.is(Kind.NAME, "where")) {
                throw error(operator, "only the 'where' operator is supported after '|', found "
                        + operator.describe());
            }
            take();
            filters.add(condition());
        }
        KqlToken end = peek();
        if (end.kind() != Kind.END) {
            throw error(end, "expected '|' or the end of the query, found " + end.describe());
        }
        if (filters.isEmpty()) {
            throw error(table, "a rule needs at least one '| where' clause; without one it matches every row");
        }
        return new KqlQuery(table.text(), position(table), filters);
    }

    private KqlCondition condition() {
        List<KqlCondition> parts = new ArrayList<>();
        parts.add(conjunct());
        while (peek().is(Kind.NAME, "or")) {
            take();
            parts.add(conjunct());
        }
        return parts.size() == 1 ? parts.get(0) : new KqlCondition.Or(parts);
    }

    private KqlCondition conjunct() {
        List<KqlCondition> parts = new ArrayList<>();
        parts.add(unary());
        while (peek().is(Kind.NAME, "and")) {
            take();
            parts.add(unary());
        }
        return parts.size() == 1 ? parts.get(0) : new KqlCondition.And(parts);
    }

    private KqlCondition unary() {
        KqlToken first = take();
        if (first.kind() == Kind.LEFT_PAREN) {
            KqlCondition inner = condition();
            expect(Kind.RIGHT_PAREN, "')'");
            return inner;
        }
        if (first.kind() != Kind.NAME) {
            throw error(first, "expected a condition, found " + first.describe());
        }
        if (peek().kind() == Kind.LEFT_PAREN) {
            return call(first);
        }
        return comparison(first);
    }

    private KqlCondition call(KqlToken function) {
        take(); // '('
        switch (function.text()) {
            case "not": {
                KqlCondition inner = condition();
                expect(Kind.RIGHT_PAREN, "')'");
                return new KqlCondition.Not(inner);
            }
            case "isempty":
            case "isnotempty": {
                KqlToken column = expect(Kind.NAME, "a column name");
                expect(Kind.RIGHT_PAREN, "')'");
                KqlCondition empty = new KqlCondition.IsEmpty(column.text(), position(column));
                return function.text().equals("isempty") ? empty : new KqlCondition.Not(empty);
            }
            default:
                throw error(function, "function '" + function.text() + "' is not supported; the subset knows"
                        + " not(), isempty() and isnotempty()");
        }
    }

    private KqlCondition comparison(KqlToken column) {
        KqlToken operatorToken = take();
        String spelling = operatorToken.text();
        boolean negated = false;
        KqlOperator operator;
        if (operatorToken.is(Kind.NAME, "matches")) {
            KqlToken regex = take();
            if (!regex.is(Kind.NAME, "regex")) {
                throw error(regex, "expected 'regex' after 'matches', found " + regex.describe());
            }
            operator = KqlOperator.MATCHES_REGEX;
        } else if (operatorToken.kind() == Kind.NAME) {
            operator = KqlOperator.positive(spelling);
        } else if (operatorToken.kind() == Kind.BANG_NAME || operatorToken.kind() == Kind.SYMBOL) {
            operator = KqlOperator.positive(spelling);
            if (operator == null) {
                operator = KqlOperator.negated(spelling);
                negated = operator != null;
            }
        } else {
            throw error(operatorToken, "expected an operator after column " + column.text() + ", found "
                    + operatorToken.describe());
        }
        if (operator == null || operator == KqlOperator.MATCHES_REGEX && operatorToken.kind() != Kind.NAME) {
            throw error(operatorToken, "operator " + operatorToken.describe() + " is not supported; the subset"
                    + " knows has, !has, has_cs, has_any, has_all, contains, !contains, contains_cs,"
                    + " startswith, endswith, ==, !=, =~, !~, in, !in, in~, !in~ and matches regex");
        }
        List<String> values = operator.takesList() ? list(operator) : List.of(string().text());
        KqlCondition compare = new KqlCondition.Compare(column.text(), operator, values, position(column));
        return negated ? new KqlCondition.Not(compare) : compare;
    }

    private List<String> list(KqlOperator operator) {
        KqlToken open = take();
        if (open.kind() != Kind.LEFT_PAREN) {
            throw error(open, operator.spelling() + " takes a parenthesised list of strings, found "
                    + open.describe());
        }
        List<String> values = new ArrayList<>();
        values.add(string().text());
        while (peek().kind() == Kind.COMMA) {
            take();
            values.add(string().text());
        }
        expect(Kind.RIGHT_PAREN, "',' or ')'");
        return values;
    }

    private KqlToken string() {
        KqlToken value = take();
        if (value.kind() != Kind.STRING) {
            throw error(value, "expected a string literal, found " + value.describe()
                    + " (only string comparisons are supported)");
        }
        return value;
    }

    private KqlToken expect(Kind kind, String what) {
        KqlToken token = take();
        if (token.kind() != kind) {
            throw error(token, "expected " + what + ", found " + token.describe());
        }
        return token;
    }

    private KqlToken peek() {
        if (lookahead == null) {
            lookahead = lexer.next();
        }
        return lookahead;
    }

    private KqlToken take() {
        KqlToken token = peek();
        lookahead = null;
        return token;
    }

    private static KqlCondition.Position position(KqlToken token) {
        return new KqlCondition.Position(token.line(), token.column());
    }

    private static KqlSyntaxException error(KqlToken at, String problem) {
        return new KqlSyntaxException(at.line(), at.column(), problem);
    }
}
