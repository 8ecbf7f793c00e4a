use expect_test::{Expect, expect};

use crate::diagnostics::path_arc;
use crate::workspace::{Document, FileKind};

fn doc(text: &str) -> Document {
    Document::new(path_arc("/w/.env"), FileKind::Dotenv, None, text)
}

fn show(text: &str, r: &std::ops::Range<usize>) -> String {
    text[r.clone()].replace('\r', "␍").replace('\n', "⏎")
}

mod parsing {
    use super::*;

    /// Renders the model of a raw text (not dedented: whitespace matters here).
    fn check(text: &str, expect: Expect) {
        let d = doc(text);
        let m = crate::dotenv::model(&d);
        let mut out = String::new();
        for e in &m.entries {
            out.push_str(&format!(
                "L{} {}{} {:?} value={:?} `{}` raw=`{}`{}\n",
                e.line,
                if e.export.is_some() { "export " } else { "" },
                show(text, &e.key_range),
                e.quote,
                e.value,
                show(text, &e.value_range),
                show(text, &e.raw_value_range),
                if e.equals.is_none() { " (no =)" } else { "" },
            ));
            for r in &e.references {
                let word = r.word.as_ref().map(|(w, _)| format!(" word={w:?}")).unwrap_or_default();
                out.push_str(&format!(
                    "    ref {} `{}` op={:?}{word}\n",
                    r.name,
                    show(text, &r.range),
                    r.op
                ));
            }
        }
        for (c, full) in &m.comments {
            out.push_str(&format!(
                "comment `{}`{}\n",
                show(text, c),
                if *full { "" } else { " inline" }
            ));
        }
        for e in &m.errors {
            out.push_str(&format!("error `{}`: {}\n", show(text, &e.range), e.message));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn basics() {
        check(
            "# header\nA=1\nexport B=two\nC=\nD\n  E = spaced value   \nF=x#not-comment # comment\n",
            expect![[r#"
                L1 A None value="1" `1` raw=`1`
                L2 export B None value="two" `two` raw=`two`
                L3 C None value="" `` raw=``
                L4 D None value="" `` raw=`` (no =)
                L5 E None value="spaced value" `spaced value` raw=`spaced value`
                L6 F None value="x#not-comment" `x#not-comment` raw=`x#not-comment`
                comment `# header`
                comment `# comment` inline
            "#]],
        );
    }

    #[test]
    fn quotes() {
        check(
            "S='lit $HOME \\n it\\'s'\nD=\"a\\tb \\\"q\\\" \\$x $Y\" # after\nM=\"line1\nline2\"\nN=after\nE=''\n",
            expect![[r#"
                L0 S Single value="lit $HOME \\n it's" `lit $HOME \n it\'s` raw=`'lit $HOME \n it\'s'`
                L1 D Double value="a\tb \"q\" $x $Y" `a\tb \"q\" \$x $Y` raw=`"a\tb \"q\" \$x $Y"`
                    ref Y `$Y` op=""
                L2 M Double value="line1\nline2" `line1⏎line2` raw=`"line1⏎line2"`
                L4 N None value="after" `after` raw=`after`
                L5 E Single value="" `` raw=`''`
                comment `# after` inline
            "#]],
        );
    }

    #[test]
    fn references() {
        check(
            "A=${B}/$C/${D:-def}/${E-x}/${F:?need F}/${G:+alt}/$$H/${I:-${J:-k}}\nK=${broken\nL=$1x\n",
            expect![[r#"
                L0 A None value="${B}/$C/${D:-def}/${E-x}/${F:?need F}/${G:+alt}/$$H/${I:-${J:-k}}" `${B}/$C/${D:-def}/${E-x}/${F:?need F}/${G:+alt}/$$H/${I:-${J:-k}}` raw=`${B}/$C/${D:-def}/${E-x}/${F:?need F}/${G:+alt}/$$H/${I:-${J:-k}}`
                    ref B `${B}` op=""
                    ref C `$C` op=""
                    ref D `${D:-def}` op=":-" word="def"
                    ref E `${E-x}` op="-" word="x"
                    ref F `${F:?need F}` op=":?" word="need F"
                    ref G `${G:+alt}` op=":+" word="alt"
                    ref I `${I:-${J:-k}}` op=":-" word="${J:-k}"
                    ref J `${J:-k}` op=":-" word="k"
                L1 K None value="${broken" `${broken` raw=`${broken`
                L2 L None value="$1x" `$1x` raw=`$1x`
            "#]],
        );
    }

    #[test]
    fn crlf_and_errors() {
        check(
            "A=1\r\nB=\"open\r\nC=2\r\n",
            expect![[r#"
                L0 A None value="1" `1` raw=`1`
                L1 B Double value="open\r\nC=2\r\n" `open␍⏎C=2␍⏎` raw=`"open␍⏎C=2␍⏎`
                error `"`: this double quote is never closed, so the value runs to the end of the file
            "#]],
        );
        check(
            "=value\nKEY value\nQ=\"x\" trailing\nexport\n",
            expect![[r#"
            L1 KEY None value="" `` raw=`` (no =)
            L2 Q Double value="x" `x` raw=`"x"`
            L3 export None value="" `` raw=`` (no =)
            error `=value`: a variable name is missing before `=`
            error `KEY`: `KEY` is followed by `value` but no `=`: write `KEY=value`
            error `trailing`: text after the closing quote is not part of the value: quote it all or start a comment with ` #`
        "#]],
        );
    }

    #[test]
    fn unicode_does_not_panic() {
        check(
            "É=ü ö\nX=\"ü\\é\"\nY='€\n",
            expect![[r#"
            L0 É None value="ü ö" `ü ö` raw=`ü ö`
            L1 X Double value="ü\\é" `ü\é` raw=`"ü\é"`
            L2 Y Single value="€\n" `€⏎` raw=`'€⏎`
            error `'`: this single quote is never closed, so the value runs to the end of the file
        "#]],
        );
    }
}

mod rules {
    use super::*;

    /// Each diagnostic with its range's text, and the file after applying each fix.
    fn check(text: &str, expect: Expect) {
        let d = doc(text);
        let snap = crate::workspace::Snapshot::default();
        let mut out = String::new();
        for diag in crate::dotenv::diagnostics(&snap, &d) {
            out.push_str(&format!(
                "{} {:?} `{}`: {}\n",
                diag.code,
                diag.severity,
                show(text, &diag.range),
                diag.message
            ));
            for r in &diag.related {
                out.push_str(&format!(
                    "    related `{}`: {}\n",
                    show(text, &r.location.range),
                    r.message
                ));
            }
            for fix in &diag.fixes {
                let mut fixed = text.to_string();
                let mut edits = fix.edits.clone();
                edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
                for e in edits {
                    fixed.replace_range(e.range.clone(), &e.new_text);
                }
                out.push_str(&format!(
                    "    fix{} {}: {}\n",
                    if fix.preferred { "*" } else { "" },
                    fix.title,
                    fixed.replace('\r', "␍").replace('\n', "⏎")
                ));
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn clean_file_is_quiet() {
        check(
            "# settings\nexport DEBUG=0\nNAME=\"hello world\"\nEMPTY=\nURL=postgres://u:p@db/app # db\nBARE\nMULTI=\"a  \nb\"\n",
            expect![[""]],
        );
    }

    #[test]
    fn syntax_error() {
        check(
            "A=\"open\nB=1\n",
            expect![[r#"
            syntax-error Error `"`: this double quote is never closed, so the value runs to the end of the file
        "#]],
        );
        check(
            "KEY value\n",
            expect![[r#"
                syntax-error Error `KEY`: `KEY` is followed by `••••` but no `=`: write `KEY=value`
            "#]],
        );
    }

    #[test]
    fn syntax_error_masks_secret_values() {
        check(
            "SECRET_KEY django-insecure-abc\nDATABASE_URL pg://app:hunter2@db/app\nDEBUG yes\n",
            expect![[r#"
                syntax-error Error `SECRET_KEY`: `SECRET_KEY` is followed by `dj••••` but no `=`: write `SECRET_KEY=value`
                syntax-error Error `DATABASE_URL`: `DATABASE_URL` is followed by `pg://app:••••@db/app` but no `=`: write `DATABASE_URL=value`
                syntax-error Error `DEBUG`: `DEBUG` is followed by `yes` but no `=`: write `DEBUG=value`
            "#]],
        );
    }

    #[test]
    fn duplicate_key() {
        check(
            "A=1\nB=2\nA=3 # wins\n",
            expect![[r#"
            duplicate-key Warning `A`: `A` is set again on line 3, which overrides this value
                related `A`: the value that is used
                fix* Delete the overridden line: B=2⏎A=3 # wins⏎
        "#]],
        );
    }

    #[test]
    fn lowercase_key() {
        check(
            "debug=1\n",
            expect![[r#"
            lowercase-key Info `debug`: `debug` is not upper case; environment variable names usually are
                fix Rename to `DEBUG`: DEBUG=1⏎
        "#]],
        );
    }

    #[test]
    fn spaces_around_equal() {
        check(
            "PORT = 8000\nHOST= x\nEMPTY= \n",
            expect![[r#"
            spaces-around-equal Warning ` = `: remove the spaces around `=` in `PORT`
                fix* Remove the spaces: PORT=8000⏎HOST= x⏎EMPTY= ⏎
            spaces-around-equal Warning `= `: remove the spaces around `=` in `HOST`
                fix* Remove the spaces: PORT = 8000⏎HOST=x⏎EMPTY= ⏎
            trailing-whitespace Info ` `: trailing whitespace
                fix* Delete trailing whitespace: PORT = 8000⏎HOST= x⏎EMPTY=⏎
        "#]],
        );
    }

    #[test]
    fn unquoted_whitespace() {
        check(
            "GREETING=hello \"big\" world\\n\n",
            expect![[r#"
            unquoted-whitespace Warning `hello "big" world\n`: the value of `GREETING` contains spaces but is not quoted
                fix* Wrap the value in double quotes: GREETING="hello \"big\" world\\n"⏎
        "#]],
        );
    }

    #[test]
    fn invalid_key() {
        check(
            "1KEY=1\nMY-KEY.X=2\n",
            expect![[r#"
            invalid-key Warning `1KEY`: `1KEY` starts with a digit; variable names start with a letter or `_`
                fix Rename to `_1KEY`: _1KEY=1⏎MY-KEY.X=2⏎
            invalid-key Warning `MY-KEY.X`: `MY-KEY.X` contains `-`, `.`, which variable names cannot hold; use letters, digits and `_`
                fix Rename to `MY_KEY_X`: 1KEY=1⏎MY_KEY_X=2⏎
        "#]],
        );
    }

    #[test]
    fn trailing_whitespace() {
        check(
            "A=1  \r\nB=\"x\"\t\n",
            expect![[r#"
            trailing-whitespace Info `  `: trailing whitespace
                fix* Delete trailing whitespace: A=1␍⏎B="x"	⏎
            trailing-whitespace Info `	`: trailing whitespace
                fix* Delete trailing whitespace: A=1  ␍⏎B="x"⏎
        "#]],
        );
    }
}

mod outline {
    use super::*;

    fn check(text: &str, expect: Expect) {
        let d = doc(text);
        let mut out = String::new();
        for s in crate::dotenv::symbols(&d) {
            out.push_str(&format!("symbol {} {:?} `{}`\n", s.name, s.detail, show(text, &s.range)));
        }
        for f in crate::dotenv::folds(&d) {
            out.push_str(&format!("fold {:?} `{}`\n", f.kind, show(text, &f.range)));
        }
        for t in crate::dotenv::semantic_tokens(&d) {
            out.push_str(&format!("token {:?} `{}`\n", t.kind, show(text, &t.range)));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn symbols_folds_tokens() {
        check(
            "# one\n# two\nexport A=x${B}y # c\nM=\"1\n2\"\n",
            expect![[r#"
                symbol A Some("x${B}y") `export A=x${B}y`
                symbol M Some("1 2") `M="1⏎2"`
                fold Comment `# one⏎# two`
                fold Region `M="1⏎2"`
                token Comment `# one`
                token Comment `# two`
                token Keyword `export`
                token Variable `A`
                token Operator `=`
                token String `x`
                token Parameter `${B}`
                token String `y`
                token Comment `# c`
                token Variable `M`
                token Operator `=`
                token String `"1⏎2"`
            "#]],
        );
    }
}

mod robustness {
    use proptest::prelude::*;

    proptest! {
        /// Any text parses without panicking, every range lies on char boundaries, and the
        /// rules run.
        #[test]
        fn never_panics(text in r#"(?s)[A-Za-z_ =#'"\\${}:\-\r\n\t1é]{0,80}"#) {
            let d = super::doc(&text);
            let m = crate::dotenv::model(&d);
            for e in &m.entries {
                for r in [&e.key_range, &e.value_range, &e.raw_value_range, &e.range] {
                    prop_assert!(text.get(r.clone()).is_some());
                }
                for r in &e.references {
                    prop_assert!(text.get(r.range.clone()).is_some());
                }
            }
            let snap = crate::workspace::Snapshot::default();
            for diag in crate::dotenv::diagnostics(&snap, &d) {
                prop_assert!(text.get(diag.range.clone()).is_some());
            }
            let _ = (crate::dotenv::folds(&d), crate::dotenv::semantic_tokens(&d));
        }
    }
}
