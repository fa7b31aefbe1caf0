package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PostgreSQL's lexical rules. Tokens are shown as {@code kind:text}, separated by spaces;
 * {@code kw} is a recognised keyword, {@code id} any other unquoted word.
 */
class LexerTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SELECT a FROM t                       | kw:SELECT id:a kw:FROM id:t
            select "My ""Col""\" from t            | kw:select q:"My ""Col""\" kw:from id:t
            SELECT 'it''s', E'\\'x', e'a\\\\'     | kw:SELECT s:'it''s' ,:, s:E'\\'x' ,:, s:e'a\\\\'
            SELECT N'x', B'101', X'ff', U&'\\0041' | kw:SELECT s:N'x' ,:, s:B'101' ,:, s:X'ff' ,:, s:U&'\\0041'
            SELECT U&"a" UESCAPE '!'              | kw:SELECT q:U&"a" UESCAPE '!'
            SELECT u&x                            | kw:SELECT id:u op:& id:x
            SELECT $$a'b$$, $tag$ $$ $tag$        | kw:SELECT s:$$a'b$$ ,:, s:$tag$ $$ $tag$
            SELECT $a$ x $b$ y $a$                | kw:SELECT s:$a$ x $b$ y $a$
            SELECT $1, $12                        | kw:SELECT p:$1 ,:, p:$12
            SELECT a$b, a$$                       | kw:SELECT id:a$b ,:, id:a$$
            SELECT 1, 1.5, .5, 1e10, 1.5E-3, 1..2 | kw:SELECT n:1 ,:, n:1.5 ,:, n:.5 ,:, n:1e10 ,:, n:1.5E-3 ,:, n:1 op:.. n:2
            SELECT a::int, b[1:2], c := 1         | kw:SELECT id:a ::::: kw:int ,:, id:b [:[ n:1 ::: n:2 ]:] ,:, id:c op::= n:1
            SELECT a=-1, b<>c, d!=e, h->>'k'      | kw:SELECT id:a op:= op:- n:1 ,:, id:b op:<> id:c ,:, id:d op:!= id:e ,:, id:h op:->> s:'k'
            SELECT a+++-b, c/-d, e @-- x\\n+f    | kw:SELECT id:a op:+ op:+ op:+ op:- id:b ,:, id:c op:/ op:- id:d ,:, id:e op:@ op:+ id:f
            SELECT a @- b, c *- d                 | kw:SELECT id:a op:@- id:b ,:, id:c op:* op:- id:d
            SELECT 1+--comment\\n2                | kw:SELECT n:1 op:+ n:2
            SELECT 1/* c */+2                     | kw:SELECT n:1 op:+ n:2
            SELECT 1 /* a /* b */ c */ + 2        | kw:SELECT n:1 op:+ n:2
            SELECT t.a, t.*                       | kw:SELECT id:t .:. id:a ,:, id:t .:. op:*
            SELECT café, "ü"                      | kw:SELECT id:café ,:, q:"ü"
            WITH x AS (SELECT 1) SELECT * FROM x; | kw:WITH id:x kw:AS (:( kw:SELECT n:1 ):) kw:SELECT op:* kw:FROM id:x ;:;
            """)
    void tokens(String sql, String expected) {
        String text = sql.replace("\\n", "\n");
        assertThat(render(Lexer.lex(text))).isEqualTo(expected);
        assertThat(Lexer.lex(text).malformed).isFalse();
    }

    @Test
    void concatenationOperator() {
        // '|' is the table delimiter above
        assertThat(render(Lexer.lex("SELECT f||g, 'a' || 'b'")))
                .isEqualTo("kw:SELECT id:f op:|| id:g ,:, s:'a' op:|| s:'b'");
    }

    @Test
    void stringsContinueAcrossNewlines() {
        Tokens tk = Lexer.lex("SELECT 'a'\n  'b' -- c\n 'c', 'd' 'e'");
        assertThat(render(tk)).isEqualTo("kw:SELECT s:'a'\n  'b' -- c\n 'c' ,:, s:'d' s:'e'");
        assertThat(Literals.string(tk, 1)).isEqualTo("abc");
    }

    @Test
    void stringValues() {
        assertThat(value("'it''s'")).isEqualTo("it's");
        assertThat(value("E'a\\nb\\t\\\\\\''")).isEqualTo("a\nb\t\\'");
        assertThat(value("E'\\x41\\101\\u0042\\U00000043'")).isEqualTo("AAB" + "C");
        assertThat(value("E'\\303\\251'")).isEqualTo("é");
        assertThat(value("$x$a'b$x$")).isEqualTo("a'b");
        assertThat(value("$$$$")).isEqualTo("");
        assertThat(value("U&'d\\0061t\\+000061'")).isEqualTo("data");
        assertThat(value("U&'d!0061t!!' UESCAPE '!'")).isEqualTo("dat!");
        assertThat(value("N'x'")).isEqualTo("x");
    }

    @Test
    void errorsAreFlaggedNotThrown() {
        for (String sql : List.of("'", "\"", "$$", "$a$ b", "/*", "E'\\", "(", ")", "(]", "\\", "$x", "\"\"", "U&'x", "{")) {
            Tokens tk = Lexer.lex(sql);
            assertThat(tk.malformed).as(sql).isTrue();
        }
    }

    @Test
    void transientLexingKeepsArraysButNothingElse() {
        List<String> texts = List.of(
                "SELECT " + "a, ".repeat(300) + "(b[1]) FROM t", "SELECT 1", "(]", "SELECT (1", "SELECT 'x' FROM t;",
                "$x", "SELECT f(a, (b)) FROM t WHERE c = $$;$$", "/*", "WITH x AS (SELECT 1) SELECT * FROM x;");
        for (String text : texts) {
            Tokens fresh = Lexer.lex(text);
            Tokens kept = Lexer.lexTransient(text);
            assertThat(render(kept)).as(text).isEqualTo(render(fresh));
            assertThat(kept.malformed).as(text).isEqualTo(fresh.malformed);
            assertThat(java.util.Arrays.copyOf(kept.match, kept.count)).as(text)
                    .isEqualTo(java.util.Arrays.copyOf(fresh.match, fresh.count));
        }
        assertThat(Lexer.lexTransient("SELECT 2")).isSameAs(Lexer.lexTransient("SELECT 3"));
        String huge = "SELECT " + "1, ".repeat(2000) + "2";
        assertThat(Lexer.lexTransient(huge)).isNotSameAs(Lexer.lexTransient("SELECT 3"));
    }

    private static String value(String literal) {
        Tokens tk = Lexer.lex(literal);
        assertThat(tk.count).as(literal).isEqualTo(1);
        return Literals.string(tk, 0);
    }

    private static String render(Tokens tk) {
        List<String> parts = new ArrayList<>(tk.count);
        for (int i = 0; i < tk.count; i++) {
            String prefix = switch (tk.type[i]) {
                case Tokens.IDENT -> tk.kw[i] >= 0 ? "kw" : "id";
                case Tokens.QIDENT -> "q";
                case Tokens.STRING -> "s";
                case Tokens.NUMBER -> "n";
                case Tokens.PARAM -> "p";
                case Tokens.OP -> "op";
                default -> tk.text(i);
            };
            parts.add(prefix + ":" + tk.text(i));
        }
        return String.join(" ", parts);
    }
}
