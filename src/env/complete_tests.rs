use expect_test::{Expect, expect};

use crate::testing::fixture;

/// Labels with detail, insert text and the replaced text, in sort order.
fn check(ws: &str, expect: Expect) {
    let f = fixture(ws);
    let (doc, offset) = f.at_cursor();
    let out = match super::complete(&f.snapshot, doc, offset) {
        None => "not a variable name position".to_string(),
        Some(mut items) => {
            items.sort_by(|a, b| {
                a.sort_text
                    .as_ref()
                    .unwrap_or(&a.label)
                    .cmp(b.sort_text.as_ref().unwrap_or(&b.label))
            });
            items
                .iter()
                .map(|i| {
                    format!(
                        "{} [{}] insert {:?} over {:?}\n",
                        i.label,
                        i.detail.clone().unwrap_or_default(),
                        i.insert_text.clone().unwrap_or_default(),
                        &doc.text[i.replace.clone()]
                    )
                })
                .collect()
        }
    };
    expect.assert_eq(&out);
}

const CODE: &str = r#"
#- /Dockerfile
FROM python:3.12
CMD ["gunicorn", "app:app"]
#- /app.py
import os
import environ
env = environ.Env()
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = os.environ["SECRET_KEY"]
PORT = env.int("PORT", default=8000)
ALREADY = os.environ["ALREADY"]
"#;

#[test]
fn compose_map_form_offers_unset_reads_required_first() {
    check(
        &format!(
            "#- /compose.yaml\nservices:\n  web:\n    build: .\n    environment:\n      ALREADY: x\n      DE$0\n{CODE}"
        ),
        expect![[r#"
            SECRET_KEY [required · string] insert "SECRET_KEY: " over "DE"
            DEBUG [optional · default False · boolean] insert "DEBUG: " over "DE"
            PORT [optional · default 8000 · integer] insert "PORT: " over "DE"
        "#]],
    );
}

#[test]
fn compose_list_form_inserts_equals() {
    check(
        &format!(
            "#- /compose.yaml\nservices:\n  web:\n    build: .\n    environment:\n      - ALREADY=x\n      - $0\n{CODE}"
        ),
        expect![[r#"
            SECRET_KEY [required · string] insert "SECRET_KEY=" over ""
            DEBUG [optional · default False · boolean] insert "DEBUG=" over ""
            PORT [optional · default 8000 · integer] insert "PORT=" over ""
        "#]],
    );
}

#[test]
fn compose_elsewhere_is_not_env() {
    check(
        &format!("#- /compose.yaml\nservices:\n  web:\n    build: .\n    $0\n{CODE}"),
        expect![[r#"not a variable name position"#]],
    );
}

#[test]
fn env_file_of_a_service() {
    check(
        &format!(
            "#- /compose.yaml\nservices:\n  web:\n    build: .\n    env_file: web.env\n    environment:\n      ALREADY: x\n#- /web.env\nPORT=1\n$0\n{CODE}"
        ),
        expect![[r#"
            SECRET_KEY [required · string] insert "SECRET_KEY=" over ""
            DEBUG [optional · default False · boolean] insert "DEBUG=" over ""
        "#]],
    );
}

#[test]
fn python_read_offers_names_set_anywhere() {
    check(
        &format!(
            "#- /compose.yaml\nservices:\n  web:\n    build: .\n    environment:\n      ALREADY: x\n#- /.env\nFROM_DOTENV=1\n{}",
            CODE.replace("os.environ[\"ALREADY\"]", "os.getenv(\"AL$0\")")
        ),
        expect![[r#"
            ALREADY [set in compose.yaml] insert "" over "AL"
            FROM_DOTENV [set in .env] insert "" over "AL"
        "#]],
    );
}
