use expect_test::{Expect, expect};

use super::*;
use crate::testing::fixture;

fn names() -> Names<'static> {
    Names {
        services: vec!["web", "db", "worker"],
        networks: vec!["front", "back"],
        volumes: vec!["pgdata"],
        secrets: vec!["db_password"],
        configs: vec!["nginx_conf"],
        models: vec!["llm"],
        stages: vec!["base", "dev", "prod"],
        build_args: vec!["PYTHON_VERSION", "APP_ENV"],
        images: vec!["myapp:latest"],
        variables: vec!["DATABASE_URL", "DEBUG"],
    }
}

/// The context, then the items a client would show for the typed prefix (the server sends
/// them all; the client filters): label, then what it inserts when that differs.
fn check(text: &str, expect: Expect) {
    let f = fixture(text);
    let (doc, offset) = f.at_cursor();
    let m = crate::compose::model(doc);
    let whole = doc.tree().map(|t| Syntax::whole(t, &doc.text));
    let (ctx, source) = cursor_context(&m.yaml, whole, &doc.text, offset);
    // Read from the service's own lines where they can be read alone, the context is the same.
    if let Some(e) = m.yaml.entry_tree(&doc.text, offset) {
        let local = cursor_context(&m.yaml, Some(Syntax::entry(&e)), &doc.text, offset);
        assert_eq!(local, (ctx.clone(), source));
    }
    let items = complete(&ctx, &names());
    let mut out = format!(
        "{source:?} path={:?} on_key={} prefix={:?} replace={:?} existing={:?}\n",
        ctx.path,
        ctx.on_key,
        ctx.prefix,
        &doc.text[ctx.replace.clone()],
        ctx.existing_keys
    );
    let typed = ctx.prefix.rsplit(['{', '$']).next().unwrap_or("");
    for item in items.iter().filter(|i| i.label.starts_with(typed)) {
        out.push_str(&item.label);
        if let Some(ins) = item.insert_text.as_ref().filter(|t| **t != item.label) {
            out.push_str(&format!(" => {ins:?}"));
        }
        if item.replace != ctx.replace {
            out.push_str(&format!(" [replaces {:?}]", &doc.text[item.replace.clone()]));
        }
        if item.deprecated {
            out.push_str(" (deprecated)");
        }
        out.push('\n');
    }
    expect.assert_eq(&out);
}

#[test]
fn top_level_keys() {
    check(
        r#"
        #- /compose.yaml
        services:
          web: {}
        $0
        "#,
        expect![[r#"
            Text path=[] on_key=true prefix="" replace="" existing=["services"]
            name => "name: $0"
            version => "version: $0" (deprecated)
            networks => "networks:\n  $0"
            volumes => "volumes:\n  $0"
            secrets => "secrets:\n  $0"
            configs => "configs:\n  $0"
            include => "include:\n  - $0"
            models => "models:\n  $0"
        "#]],
    );
}

#[test]
fn service_keys_with_prefix_skip_present_ones() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            image: app
            dep$0
            environment:
              A: 1
          db:
            image: postgres
        "#,
        expect![[r#"
            Text path=["services", "web"] on_key=true prefix="dep" replace="dep" existing=["image", "environment"]
            depends_on => "depends_on:\n      - $0"
            deploy => "deploy:\n      $0"
        "#]],
    );
}

#[test]
fn service_key_snippets_open_the_right_shape() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            po$0
        "#,
        expect![[r#"
            Text path=["services", "web"] on_key=true prefix="po" replace="po" existing=[]
            ports => "ports:\n      - $0"
            post_start => "post_start:\n      - $0"
        "#]],
    );
}

#[test]
fn enum_values() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            restart: $0
        "#,
        expect![[r#"
            Text path=["services", "web", "restart"] on_key=false prefix="" replace="" existing=[]
            no
            always
            on-failure
            unless-stopped
        "#]],
    );
}

#[test]
fn depends_on_list_offers_other_services() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            depends_on:
              - $0
        "#,
        expect![[r#"
            Text path=["services", "web", "depends_on", "[]"] on_key=false prefix="" replace="" existing=[]
            db
            worker
        "#]],
    );
}

#[test]
fn depends_on_map_keys_and_conditions() {
    check(
        r#"
        #- /compose.yaml
        services:
          worker:
            depends_on:
              db:
                condition: service_healthy
              $0
        "#,
        expect![[r#"
            Text path=["services", "worker", "depends_on"] on_key=true prefix="" replace="" existing=["db"]
            web => "web:\n        $0"
        "#]],
    );
    check(
        r#"
        #- /compose.yaml
        services:
          worker:
            depends_on:
              db:
                condition: service_$0
        "#,
        expect![[r#"
            Text path=["services", "worker", "depends_on", "db", "condition"] on_key=false prefix="service_" replace="service_" existing=[]
            service_started
            service_healthy
            service_completed_successfully
        "#]],
    );
}

#[test]
fn build_target_offers_stages() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build:
              context: .
              target: "$0"
        "#,
        expect![[r#"
            Text path=["services", "web", "build", "target"] on_key=false prefix="" replace="" existing=[]
            base
            dev
            prod
        "#]],
    );
}

#[test]
fn build_args_offer_arg_names() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build:
              args:
                $0
        "#,
        expect![[r#"
            Text path=["services", "web", "build", "args"] on_key=true prefix="" replace="" existing=[]
            PYTHON_VERSION => "PYTHON_VERSION: $0"
            APP_ENV => "APP_ENV: $0"
        "#]],
    );
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build:
              args:
                - $0
        "#,
        expect![[r#"
            Text path=["services", "web", "build", "args", "[]"] on_key=false prefix="" replace="" existing=[]
            PYTHON_VERSION => "PYTHON_VERSION="
            APP_ENV => "APP_ENV="
        "#]],
    );
}

#[test]
fn long_port_keys_inside_an_item() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            ports:
              - target: 8000
                $0
        "#,
        expect![[r#"
            Text path=["services", "web", "ports", "[]"] on_key=true prefix="" replace="" existing=["target"]
            name => "name: $0"
            published => "published: $0"
            host_ip => "host_ip: $0"
            protocol => "protocol: $0"
            app_protocol => "app_protocol: $0"
            mode => "mode: $0"
        "#]],
    );
}

#[test]
fn indentless_sequence_item() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            secrets:
            - $0
        "#,
        expect![[r#"
            Text path=["services", "web", "secrets", "[]"] on_key=false prefix="" replace="" existing=[]
            db_password
            source => "source: $0"
            target => "target: $0"
            uid => "uid: $0"
            gid => "gid: $0"
            mode => "mode: $0"
        "#]],
    );
}

#[test]
fn volume_short_syntax_offers_named_volumes() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            volumes:
              - $0
        volumes:
          pgdata:
        "#,
        expect![[r#"
            Text path=["services", "web", "volumes", "[]"] on_key=false prefix="" replace="" existing=[]
            pgdata => "pgdata:$0"
            type => "type: $0"
            source => "source: $0"
            target => "target: $0"
            read_only => "read_only: $0"
            consistency => "consistency: $0"
            bind => "bind:\n          $0"
            volume => "volume:\n          $0"
            tmpfs => "tmpfs:\n          $0"
            image => "image:\n          $0"
        "#]],
    );
}

#[test]
fn variables_inside_interpolation() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            environment:
              URL: "${DATA$0}"
        "#,
        expect![[r#"
            Text path=["services", "web", "environment", "URL"] on_key=false prefix="${DATA" replace="${DATA}" existing=[]
            DATABASE_URL [replaces "DATA"]
        "#]],
    );
}

#[test]
fn booleans() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            init: $0
        "#,
        expect![[r#"
            Text path=["services", "web", "init"] on_key=false prefix="" replace="" existing=[]
            true
            false
        "#]],
    );
}

#[test]
fn networks_in_a_service_and_at_top_level() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            networks:
              - $0
        "#,
        expect![[r#"
            Text path=["services", "web", "networks", "[]"] on_key=false prefix="" replace="" existing=[]
            front
            back
        "#]],
    );
    check(
        r#"
        #- /compose.yaml
        networks:
          front:
            dri$0
        "#,
        expect![[r#"
            Text path=["networks", "front"] on_key=true prefix="dri" replace="dri" existing=[]
            driver => "driver: $0"
            driver_opts => "driver_opts:\n      $0"
        "#]],
    );
}

#[test]
fn nothing_inside_unknown_keys() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            bogus:
              $0
        "#,
        expect![[r#"
            Text path=["services", "web", "bogus"] on_key=true prefix="" replace="" existing=[]
        "#]],
    );
}

#[test]
fn survives_odd_input() {
    for text in ["", "-", "- - -", ":", "a: b: c", "\"", "  '", "x:\n\t- y", "é:\n  ü$0"] {
        for off in 0..=text.len() {
            let ctx = context_from_text(text, off);
            let _ = complete(&ctx, &names());
        }
    }
}

#[test]
fn long_form_source_inside_an_item_after_comments() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            # secrets the app reads at start-up
            secrets:

              - source: $0
        "#,
        expect![[r#"
            Text path=["services", "web", "secrets", "[]", "source"] on_key=false prefix="" replace="" existing=[]
            db_password
        "#]],
    );
}

/// The path alone, for inputs a fixture cannot express (CRLF line ends).
fn check_path(text: &str, expect: Expect) {
    let offset = text.find("$0").expect("cursor");
    let text = text.replace("$0", "");
    let ctx = context_from_text(&text, offset);
    expect.assert_eq(&format!(
        "{:?} on_key={} existing={:?}",
        ctx.path, ctx.on_key, ctx.existing_keys
    ));
}

#[test]
fn crlf_and_quoted_keys() {
    check_path(
        "services:\r\n  web:\r\n    image: x\r\n    \"build\":\r\n      tar$0\r\n      context: .\r\n",
        expect![[r#"["services", "web", "build"] on_key=true existing=["context"]"#]],
    );
}

#[test]
fn flow_collections_read_from_the_tree() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            depends_on: [db, $0]
          db: {image: postgres}
        "#,
        expect![[r#"
            Tree path=["services", "web", "depends_on", "[]"] on_key=false prefix="" replace="" existing=["db"]
            worker
        "#]],
    );
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build: {context: ., target: d$0}
        "#,
        expect![[r#"
            Tree path=["services", "web", "build", "target"] on_key=false prefix="d" replace="d" existing=[]
            dev
        "#]],
    );
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build: {context: ., $0}
        "#,
        expect![[r#"
            Tree path=["services", "web", "build"] on_key=true prefix="" replace="" existing=["context"]
            dockerfile => "dockerfile: $0"
            dockerfile_inline => "dockerfile_inline: $0"
            args => "args: $0"
            ssh => "ssh: $0"
            cache_from => "cache_from: $0"
            cache_to => "cache_to: $0"
            additional_contexts => "additional_contexts: $0"
            entitlements => "entitlements: $0"
            extra_hosts => "extra_hosts: $0"
            isolation => "isolation: $0"
            labels => "labels: $0"
            network => "network: $0"
            no_cache => "no_cache: $0"
            platforms => "platforms: $0"
            privileged => "privileged: $0"
            pull => "pull: $0"
            secrets => "secrets: $0"
            shm_size => "shm_size: $0"
            tags => "tags: $0"
            target => "target: $0"
            ulimits => "ulimits: $0"
            provenance => "provenance: $0"
            sbom => "sbom: $0"
        "#]],
    );
}

#[test]
fn multi_line_flow_sequence() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            depends_on: [
              db,
              w$0
            ]
        "#,
        expect![[r#"
            Tree path=["services", "web", "depends_on", "[]"] on_key=false prefix="w" replace="w" existing=["db"]
            worker
        "#]],
    );
}

#[test]
fn broken_yaml_falls_back_to_the_lines() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            image: "unterminated
            restart: $0
        "#,
        expect![[r#"
            Text path=["services", "web", "restart"] on_key=false prefix="" replace="" existing=[]
            no
            always
            on-failure
            unless-stopped
        "#]],
    );
}

#[test]
fn listed_names_are_not_offered_again() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            depends_on:
              - db
              - $0
              # the queue
              - worker
        "#,
        expect![[r#"
            Text path=["services", "web", "depends_on", "[]"] on_key=false prefix="" replace="" existing=["db", "worker"]
        "#]],
    );
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            networks: [front, $0]
        "#,
        expect![[r#"
            Tree path=["services", "web", "networks", "[]"] on_key=false prefix="" replace="" existing=["front"]
            back
        "#]],
    );
}

mod lines_rev {
    use proptest::prelude::*;

    proptest! {
        /// The fast reverse split gives `str::lines` backwards (up to a line's final `\r`s,
        /// which the reading trims anyway).
        #[test]
        fn equals_lines_reversed(pieces in prop::collection::vec(
            prop::sample::select(vec!["a", "  b: c", "\n", "\r\n", "\r", " ", "é", "- x"]),
            0..60,
        )) {
            let text: String = pieces.concat();
            let trim = |l: &'_ str| l.trim_end_matches('\r').to_string();
            let fast: Vec<String> = super::super::lines_rev(&text).map(trim).collect();
            let slow: Vec<String> = text.lines().rev().map(trim).collect();
            prop_assert_eq!(fast, slow);
        }
    }
}
