use expect_test::{Expect, expect};

use crate::testing::fixture;

/// Diagnostics of the fixture's first file: code, range with its text, message, fixes.
fn check(text: &str, expect: Expect) {
    let f = fixture(text);
    let doc = f.snapshot.get(&f.files[0]).unwrap();
    let diags = super::diagnostics(&f.snapshot, doc);
    let mut out = String::new();
    for d in &diags {
        out.push_str(&format!(
            "{} {} {:?} {:?}: {}\n",
            d.code,
            d.severity.as_str(),
            d.range,
            &doc.text[d.range.clone()],
            d.message
        ));
        for r in &d.related {
            out.push_str(&format!("  related {}: {}\n", short(&r.location.path), r.message));
        }
        for fix in &d.fixes {
            out.push_str(&format!("  fix{} {}\n", if fix.preferred { "*" } else { "" }, fix.title));
        }
    }
    if out.is_empty() {
        out.push_str("(quiet)\n");
    }
    expect.assert_eq(&out);
}

fn short(p: &std::path::Path) -> String {
    p.strip_prefix("/w").unwrap_or(p).display().to_string()
}

/// Apply the first fix of the first diagnostic with `code`; show every edited file.
fn check_fix(text: &str, code: &str, expect: Expect) {
    let f = fixture(text);
    let doc = f.snapshot.get(&f.files[0]).unwrap();
    let diags = super::diagnostics(&f.snapshot, doc);
    let d = diags.iter().find(|d| d.code == code).expect("diagnostic with that code");
    let fix = &d.fixes[0];
    let mut files: Vec<_> = fix.edits.iter().map(|e| e.path.clone()).collect();
    files.dedup();
    let mut out = format!("{}\n", fix.title);
    for p in files {
        let mut t = f.snapshot.get(&p).unwrap().text.to_string();
        let mut edits: Vec<_> = fix.edits.iter().filter(|e| e.path == p).collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        for e in edits {
            t.replace_range(e.range.clone(), &e.new_text);
        }
        out.push_str(&format!("--- {}\n{t}", short(&p)));
    }
    expect.assert_eq(&out);
}

#[test]
fn duplicate_key() {
    check(
        "#- /compose.yaml\nservices:\n  web:\n    image: a\n    image: b\n",
        expect![[r#"
            duplicate-key error 34..39 "image": `image` is already set in this mapping
              related compose.yaml: first set here
        "#]],
    );
}

#[test]
fn obsolete_version() {
    check(
        "#- /compose.yaml\nversion: '3.8'\nservices:\n  web: {image: a}\n",
        expect![[r#"
        obsolete-version warning 0..7 "version": `version` is obsolete: Compose ignores it
          fix* Remove `version`
    "#]],
    );
    check_fix(
        "#- /compose.yaml\n# app\nversion: \"3\"\nservices:\n  web: {image: a}\n",
        "obsolete-version",
        expect![[r#"
            Remove `version`
            --- compose.yaml
            # app
            services:
              web: {image: a}
        "#]],
    );
}

#[test]
fn interpolation_syntax() {
    check(
        "#- /compose.yaml\nservices:\n  web:\n    image: \"app:${TAG:-latest}\"\n    command: echo $$HOME ${HOME} $1 ${A:x}\n",
        expect![[r#"
            interpolation-syntax error 82..84 "$1": `$1` is not a variable reference; write `$$` for a literal dollar sign
              fix* Escape as `$$`
            interpolation-syntax error 85..91 "${A:x}": `${A:x}` is not a valid interpolation: after the name use `:-`, `-`, `:?`, `?`, `:+` or `+`
        "#]],
    );
    // A secret-looking name's malformed default is not echoed in full.
    check(
        "#- /compose.yaml\nservices:\n  db:\n    environment:\n      PW: ${DB_PASSWORD:hunter2-long}\n",
        expect![[r#"
            interpolation-syntax error 43..70 "${DB_PASSWORD:hunter2-long}": `${DB_PASSWORD:h••••}` is not a valid interpolation: after the name use `:-`, `-`, `:?`, `?`, `:+` or `+`
        "#]],
    );
    check_fix(
        "#- /compose.yaml\nservices:\n  web:\n    command: echo $1\n",
        "interpolation-syntax",
        expect![[r#"
            Escape as `$$`
            --- compose.yaml
            services:
              web:
                command: echo $$1
        "#]],
    );
}

#[test]
fn undefined_service() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            image: app
            depends_on: [postgress, redis]
            links: ["redis:cache", "mail"]
            network_mode: service:vpn
            volumes_from: [data:ro]
          worker:
            extends: wbe
            depends_on:
              web: {condition: service_started}
              optional: {required: false}
          postgres: {image: postgres}
        #- /compose.override.yaml
        services:
          redis: {image: redis}
        "#,
        expect![[r#"
            undefined-service error 49..58 "postgress": `web` depends on `postgress`, which is not a service of this project
              fix* Change to `postgres`
            undefined-service error 95..99 "mail": `web` links to `mail`, which is not a service of this project
            undefined-service error 128..131 "vpn": `web` shares the network stack of `vpn`, which is not a service of this project
            undefined-service error 151..155 "data": `web` mounts volumes from `data`, which is not a service of this project
            undefined-service error 183..186 "wbe": `worker` extends `wbe`, which is not a service of this project
        "#]],
    );
    check_fix(
        "#- /compose.yaml\nservices:\n  web:\n    depends_on: [postgress]\n  postgres: {image: p}\n",
        "undefined-service",
        expect![[r#"
            Change to `postgres`
            --- compose.yaml
            services:
              web:
                depends_on: [postgres]
              postgres: {image: p}
        "#]],
    );
}

#[test]
fn undefined_declarations() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            image: app
            networks: [front, default, back]
            volumes:
              - data:/data
              - ./src:/src
              - /abs:/abs
              - anon-only
              - type: volume
                source: cache
                target: /cache
              - type: bind
                source: host
                target: /h
            secrets: [token, {source: cert}]
            configs: [nginx]
        networks:
          front:
        volumes:
          data:
        secrets:
          token: {file: ./token.env}
        #- /token.env
        x
        "#,
        expect![[r#"
            undefined-network error 63..67 "back": Network `back` is not declared in the top-level `networks` section
              fix* Declare network `back`
            invalid-value warning 146..155 "anon-only": the container path `anon-only` must be absolute (start with `/`)
            undefined-volume error 193..198 "cache": Volume `cache` is not declared in the top-level `volumes` section
              fix* Declare volume `cache`
            undefined-secret error 311..315 "cert": Secret `cert` is not declared in the top-level `secrets` section
              fix* Declare secret `cert`
            undefined-config error 332..337 "nginx": Config `nginx` is not declared in the top-level `configs` section
              fix* Declare config `nginx`
        "#]],
    );
    check_fix(
        "#- /compose.yaml\nservices:\n  db:\n    volumes: [pgdata:/var/lib]\nvolumes:\n  other:\n",
        "undefined-volume",
        expect![[r#"
            Declare volume `pgdata`
            --- compose.yaml
            services:
              db:
                volumes: [pgdata:/var/lib]
            volumes:
              other:
              pgdata:
        "#]],
    );
    check_fix(
        "#- /compose.yaml\nservices:\n  db:\n    networks: [backend]\n",
        "undefined-network",
        expect![[r#"
            Declare network `backend`
            --- compose.yaml
            services:
              db:
                networks: [backend]
            networks:
              backend:
        "#]],
    );
    check_fix(
        "#- /compose.yaml\nservices:\n  db:\n    secrets: [pw]\nsecrets:\n",
        "undefined-secret",
        expect![[r#"
            Declare secret `pw`
            --- compose.yaml
            services:
              db:
                secrets: [pw]
            secrets:
              pw:
                file: ./pw
        "#]],
    );
}

#[test]
fn depends_on_cycle() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            depends_on: [worker, db]
          worker:
            depends_on:
              web: {condition: service_started}
          db:
            depends_on: [db]
          ok:
            depends_on: [db]
        "#,
        expect![[r#"
            depends-on-cycle error 34..40 "worker": Dependency cycle: web → worker → web
            depends-on-cycle error 78..81 "web": Dependency cycle: worker → web → worker
            depends-on-cycle error 135..137 "db": Dependency cycle: db → db
        "#]],
    );
}

#[test]
fn port_conflict_and_container_name() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            container_name: app
            ports: ["8000:8000", "127.0.0.1:9000:9000", "5000:5000/udp", "${PORT}:80"]
          docs:
            ports: ["8000:80", "127.0.0.2:9000:9000", "5000:5000"]
          dev:
            profiles: [dev]
            ports: ["7000:7000"]
          prod:
            profiles: [prod]
            ports: ["7000:7000"]
          worker:
            container_name: app
        "#,
        expect![[r#"
            duplicate-container-name error 37..40 "app": Container name `app` is also used by service `worker`
              related compose.yaml: used by `worker`
            port-conflict error 54..63 "8000:8000": Host port 8000/tcp is also published by service `docs`
              related compose.yaml: published by `docs`
            port-conflict error 141..148 "8000:80": Host port 8000/tcp is also published by service `web`
              related compose.yaml: published by `web`
            duplicate-container-name error 323..326 "app": Container name `app` is also used by service `web`
              related compose.yaml: used by `web`
        "#]],
    );
}

#[test]
fn missing_file() {
    check(
        r#"
        #- /compose.yaml
        include: [other/compose.yaml, gone.yaml]
        services:
          web:
            build:
              context: ./app
              dockerfile: docker/Dockerfile.prod
            env_file:
              - .env
              - .env.missing
              - path: .env.local
                required: false
            extends: {file: ../outside/base.yaml, service: x}
          api:
            build: ./nowhere
          worker:
            # The missing context is reported, not its Dockerfile as well.
            build: {context: ./gone, dockerfile: Dockerfile}
        secrets:
          key: {file: ./secrets/key.txt}
        #- /other/compose.yaml
        services: {}
        #- /app/docker/Dockerfile
        FROM python
        #- /.env
        A=1
        "#,
        expect![[r#"
            missing-file error 30..39 "gone.yaml": Included file `gone.yaml` does not exist
            missing-file error 108..130 "docker/Dockerfile.prod": Dockerfile `docker/Dockerfile.prod` does not exist
            missing-file error 166..178 ".env.missing": Env file `.env.missing` does not exist
            missing-file info 248..268 "../outside/base.yaml": Extended file `../outside/base.yaml` is outside the workspace and was not checked
            missing-file error 300..309 "./nowhere": Build context `./nowhere` does not exist
            missing-file error 408..414 "./gone": Build context `./gone` does not exist
            missing-file error 463..480 "./secrets/key.txt": File `./secrets/key.txt` does not exist
        "#]],
    );
}

#[test]
fn build_refs_in_context_folders() {
    // Contexts in sub-folders, one beside documents and one in a folder with none.
    check(
        r#"
        #- /compose.yaml
        services:
          api:
            build: {context: ./services/api, target: prod}
          docs:
            build: {context: ./docs/site, dockerfile: ../Dockerfile.docs, target: prod}
          lone:
            build: {context: ./empty/x, target: prod}
        #- /services/api/Dockerfile
        FROM python AS production
        #- /docs/Dockerfile.docs
        FROM nginx AS production
        "#,
        expect![[r#"
            unknown-build-target error 62..66 "prod": The Dockerfile has no stage named `prod`
              related services/api/Dockerfile: stages are named with `FROM … AS name`
              fix* Change to `production`
            missing-file error 97..108 "./docs/site": Build context `./docs/site` does not exist
            unknown-build-target error 150..154 "prod": The Dockerfile has no stage named `prod`
              related docs/Dockerfile.docs: stages are named with `FROM … AS name`
              fix* Change to `production`
            missing-file error 185..194 "./empty/x": Build context `./empty/x` does not exist
        "#]],
    );
}

#[test]
fn build_target_and_args() {
    check(
        r#"
        #- /compose.yaml
        services:
          web:
            build:
              context: .
              target: prod
              args:
                PYTHON_VERSION: "3.12"
                PYTHON_VERSOIN: "3.12"
                EXTRA: "1"
                HTTP_PROXY: x
          ok:
            build: {context: ., target: production, args: [PYTHON_VERSION=3]}
        #- /Dockerfile
        ARG PYTHON_VERSION=3.12
        FROM python:${PYTHON_VERSION} AS base
        FROM base AS production
        RUN echo
        "#,
        expect![[r#"
            unknown-build-target error 59..63 "prod": The Dockerfile has no stage named `prod`
              related Dockerfile: stages are named with `FROM … AS name`
              fix* Change to `production`
            unknown-build-arg warning 115..129 "PYTHON_VERSOIN": No `ARG PYTHON_VERSOIN` in the Dockerfile: this build argument is never used
              fix* Change to `PYTHON_VERSION`
              fix Add `ARG PYTHON_VERSOIN` to the Dockerfile
            unknown-build-arg warning 146..151 "EXTRA": No `ARG EXTRA` in the Dockerfile: this build argument is never used
              fix* Add `ARG EXTRA` to the Dockerfile
        "#]],
    );
    check_fix(
        "#- /compose.yaml\nservices:\n  web:\n    build: {context: ., target: prod}\n#- /Dockerfile\nFROM python AS production\n",
        "unknown-build-target",
        expect![[r#"
            Change to `production`
            --- compose.yaml
            services:
              web:
                build: {context: ., target: production}
        "#]],
    );
    check_fix(
        "#- /compose.yaml\nservices:\n  web:\n    build:\n      context: .\n      target: base\n      args: [EXTRA=1]\n#- /Dockerfile\nFROM python AS base\nRUN x\nFROM base AS final\n",
        "unknown-build-arg",
        expect![[r#"
            Add `ARG EXTRA` to the Dockerfile
            --- Dockerfile
            FROM python AS base
            ARG EXTRA
            RUN x
            FROM base AS final
        "#]],
    );
}

#[test]
fn unknown_key() {
    check(
        "#- /compose.yaml\nservices:\n  web:\n    imagee: app\n    build:\n      context: .\n      dockerfle: Dockerfile\n    x-note: {anything: goes}\nfrobnicate: 1\n",
        expect![[r#"
            unknown-key warning 21..27 "imagee": `imagee` is not a key of a service; did you mean `image`?
              fix* Change to `image`
            unknown-key warning 67..76 "dockerfle": `dockerfle` is not a key of `build`; did you mean `dockerfile`?
              fix* Change to `dockerfile`
            unknown-key warning 118..128 "frobnicate": `frobnicate` is not a key of a Compose file's top level
        "#]],
    );
    check_fix(
        "#- /compose.yaml\nservices:\n  web:\n    \"imagee\": app\n",
        "unknown-key",
        expect![[r#"
            Change to `image`
            --- compose.yaml
            services:
              web:
                "image": app
        "#]],
    );
}

#[test]
fn invalid_value() {
    check(
        "#- /compose.yaml\nservices:\n  web:\n    image: app\n    restart: sometimes\n    ports: [\"80:80:80:80\"]\n    healthcheck:\n      test: [CMD, true]\n      interval: 10\n    privileged: maybe\n    deploy: yes\n    environment: [[A]]\n    labels:\n      - a\n    command: {a: b}\n",
        expect![[r#"
            invalid-value warning 45..54 "sometimes": unknown value `sometimes`; expected one of `no`, `always`, `on-failure`, `unless-stopped`
            invalid-value warning 67..80 "\"80:80:80:80\"": `80:80:80:80` has too many `:`-separated parts; write `[[IP:]HOST:]CONTAINER[/PROTO]`
            invalid-value warning 117..121 "true": `true` is read as a boolean but a string is expected; quote it: "true"
            invalid-value warning 139..141 "10": `10` has no unit; write `10s` for seconds
            invalid-value error 158..163 "maybe": `maybe` is not a boolean; use `true` or `false`
            invalid-value error 176..179 "yes": `deploy` expects a mapping, not a single value
            invalid-value error 198..201 "[A]": expected a `KEY=VALUE` here, not a list
            invalid-value error 229..236 "command": `command` expects a string or list of strings, not a mapping
        "#]],
    );
}

#[test]
fn schema_checks_stay_quiet() {
    check(
        "#- /compose.yaml\nx-base: &base\n  restart: sometimes\n  imagee: x\nservices:\n  web:\n    <<: *base\n    image: app:${TAG:-latest}\n    restart: ${RESTART:-no}\n    ports: [\"8000:8000\", 9000, {target: 80, published: \"8080\"}]\n    environment:\n      DEBUG: \"1\"\n      x-odd: 1\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 10s\n    deploy:\n      resources:\n        limits: {cpus: \"0.5\", memory: 512m}\n    labels: [a=b]\n    memswap_limit: -1\n    command: !reset null\n    dns: !override [8.8.8.8]\n  db:\nvolumes:\n  data:\n",
        expect![[r#"
            (quiet)
        "#]],
    );
}

mod closest_memo {
    use proptest::prelude::*;

    fn names() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec("[a-e]{1,3}-?[0-9]{0,2}", 0..80)
    }

    proptest! {
        /// Remembered answers (long lists) are the answers a fresh scoring gives, also when
        /// the same name is asked again among a changed list.
        #[test]
        fn memo_agrees_with_scoring(list in names(), other in names(), name in "[a-e]{1,3}-?[0-9]{0,2}") {
            for cands in [&list, &other, &list] {
                let direct: Vec<&str> = cands.iter().map(String::as_str).filter(|c| *c != name).collect();
                let expected = super::super::closest_among(&name, &direct).map(|i| direct[i]);
                for _ in 0..2 {
                    prop_assert_eq!(super::super::closest(&name, cands.iter().map(String::as_str)), expected);
                }
            }
        }
    }
}
