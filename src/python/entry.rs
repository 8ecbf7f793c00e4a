//! Which Python module a container command runs: `gunicorn app.wsgi`, `celery -A app worker`,
//! `python manage.py runserver`, … The env model follows the entry module to the settings
//! the service loads.

/// What kind of program a service runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// A WSGI server (gunicorn, uwsgi, waitress) serving `module:attr`.
    Wsgi,
    /// An ASGI server (uvicorn, daphne, hypercorn, or gunicorn with a uvicorn worker).
    Asgi,
    /// A Celery worker or beat for the app in `module`.
    Celery,
    /// `manage.py`/`django-admin` with a subcommand.
    Manage,
    /// The Flask CLI.
    Flask,
    /// A script (`./entrypoint.sh`, `python app.py`) berth cannot see into.
    Script,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryPoint {
    pub kind: Option<EntryKind>,
    /// The dotted entry module (`app.wsgi`, `manage`); None when the command names none (e.g.
    /// `gunicorn -c conf.py` with the app in the config file, `flask run` relying on FLASK_APP).
    pub module: Option<String>,
    /// The attribute after `:` (`application`, `create_app()`).
    pub attr: Option<String>,
    /// A settings module given on the command line (`--settings=x`,
    /// `-e DJANGO_SETTINGS_MODULE=x`); it overrides the module's own setdefault.
    pub settings: Option<String>,
    /// The manage.py/django-admin/flask/celery subcommand (`runserver`, `worker`, `run`).
    pub command: Option<String>,
    /// `gunicorn -c conf.py`: the config file.
    pub config_file: Option<String>,
    /// The script path for `Script`.
    pub script: Option<String>,
}

impl EntryPoint {
    pub fn kind(&self) -> EntryKind {
        self.kind.unwrap_or(EntryKind::Script)
    }
}

/// Recognise a command given as an argument vector (Dockerfile exec form, compose list form).
pub fn entry_from_command(argv: &[&str]) -> Option<EntryPoint> {
    entry(argv, 0)
}

/// Recognise a command given as a shell string (Dockerfile shell form, compose string form):
/// split into words, and for `a && b; c` take the last part that is recognised (servers run
/// last, after migrations).
pub fn entry_from_shell(command: &str) -> Option<EntryPoint> {
    shell(command, 0)
}

fn shell(command: &str, depth: usize) -> Option<EntryPoint> {
    let words = split_words(command);
    let mut found = None;
    for part in words.split(|w| matches!(w.as_str(), "&&" | "||" | ";" | "|" | "&")) {
        let argv: Vec<&str> = part.iter().map(String::as_str).collect();
        if let Some(e) = entry(&argv, depth + 1) {
            found = Some(e);
        }
    }
    found
}

fn entry(argv: &[&str], depth: usize) -> Option<EntryPoint> {
    if depth > 8 {
        return None;
    }
    // Wrappers that run the rest of the line.
    let mut i = 0;
    while i < argv.len() {
        let w = basename(argv[i]);
        match w {
            "exec" | "nice" | "tini" | "dumb-init" | "gosu-exec" => i += 1,
            "--" => i += 1,
            "env" => {
                i += 1;
                while i < argv.len() && (argv[i].contains('=') || argv[i].starts_with('-')) {
                    i += 1;
                }
            }
            "poetry" | "pipenv" | "uv" | "pdm" | "hatch" | "rye"
                if argv.get(i + 1) == Some(&"run") =>
            {
                i += 2
            }
            _ if w.contains('=') && !w.starts_with('-') => i += 1, // `VAR=x cmd`
            _ => break,
        }
    }
    let argv = &argv[i..];
    let (&first, rest) = argv.split_first()?;
    let name = basename(first);
    match name {
        "sh" | "bash" | "ash" | "dash" | "zsh" => {
            let c = rest.iter().position(|a| {
                *a == "-c" || (a.starts_with('-') && a.ends_with('c') && !a.starts_with("--"))
            })?;
            shell(rest.get(c + 1)?, depth)
        }
        "gunicorn" => server(rest, EntryKind::Wsgi, GUNICORN_VALUE_OPTS),
        "uvicorn" => server(rest, EntryKind::Asgi, UVICORN_VALUE_OPTS),
        "daphne" => server(rest, EntryKind::Asgi, DAPHNE_VALUE_OPTS),
        "hypercorn" => server(rest, EntryKind::Asgi, HYPERCORN_VALUE_OPTS),
        "waitress-serve" => {
            server(rest, EntryKind::Wsgi, &["--host", "--port", "--listen", "--threads", "--call"])
        }
        "celery" => celery(rest),
        "django-admin" | "django-admin.py" => manage(None, rest),
        "manage.py" => manage(Some(first), rest),
        "flask" => flask(rest),
        _ if is_python(name) => python(rest, depth),
        _ if name.ends_with(".sh") || first.starts_with("./") || name.contains("entrypoint") => {
            // Entrypoint scripts conventionally end with `exec "$@"`: a recognised command in
            // their arguments is what finally runs.
            entry(rest, depth + 1).or_else(|| {
                Some(EntryPoint {
                    kind: Some(EntryKind::Script),
                    script: Some(first.to_string()),
                    ..Default::default()
                })
            })
        }
        _ => None,
    }
}

fn python(rest: &[&str], depth: usize) -> Option<EntryPoint> {
    let mut i = 0;
    while i < rest.len() {
        let a = rest[i];
        if a == "-m" {
            let module = *rest.get(i + 1)?;
            let tail = &rest[i + 2..];
            return match module {
                "gunicorn" | "uvicorn" | "daphne" | "hypercorn" | "celery" | "flask" => {
                    let mut argv = vec![module];
                    argv.extend_from_slice(tail);
                    entry(&argv, depth + 1)
                }
                "django" => manage(None, tail),
                _ => Some(EntryPoint {
                    kind: Some(EntryKind::Script),
                    module: Some(module.to_string()),
                    ..Default::default()
                }),
            };
        }
        if a == "-c" {
            return None;
        }
        if a.starts_with('-') {
            // -u, -O, -B, -W arg, -X opt
            i += if matches!(a, "-W" | "-X") { 2 } else { 1 };
            continue;
        }
        if basename(a) == "manage.py" {
            return manage(Some(a), &rest[i + 1..]);
        }
        let stem = basename(a).strip_suffix(".py")?;
        return Some(EntryPoint {
            kind: Some(EntryKind::Script),
            module: Some(stem.to_string()),
            script: Some(a.to_string()),
            ..Default::default()
        });
    }
    None
}

const GUNICORN_VALUE_OPTS: &[&str] = &[
    "-c",
    "--config",
    "-b",
    "--bind",
    "-w",
    "--workers",
    "-k",
    "--worker-class",
    "--threads",
    "-t",
    "--timeout",
    "--graceful-timeout",
    "--keep-alive",
    "--log-level",
    "--chdir",
    "-e",
    "--env",
    "--access-logfile",
    "--error-logfile",
    "--log-file",
    "-n",
    "--name",
    "--max-requests",
    "--max-requests-jitter",
    "-u",
    "--user",
    "-g",
    "--group",
    "--pythonpath",
    "--worker-tmp-dir",
    "--forwarded-allow-ips",
    "--certfile",
    "--keyfile",
    "--log-config",
    "-p",
    "--pid",
    "--backlog",
    "--worker-connections",
    "--access-logformat",
    "--umask",
    "--limit-request-line",
    "--statsd-host",
];
const UVICORN_VALUE_OPTS: &[&str] = &[
    "--host",
    "--port",
    "--uds",
    "--fd",
    "--workers",
    "--loop",
    "--http",
    "--ws",
    "--lifespan",
    "--env-file",
    "--log-config",
    "--log-level",
    "--root-path",
    "--app-dir",
    "--reload-dir",
    "--reload-include",
    "--reload-exclude",
    "--reload-delay",
    "--limit-concurrency",
    "--limit-max-requests",
    "--backlog",
    "--timeout-keep-alive",
    "--ssl-keyfile",
    "--ssl-certfile",
    "--ssl-keyfile-password",
    "--ssl-version",
    "--ssl-cert-reqs",
    "--ssl-ca-certs",
    "--ssl-ciphers",
    "--header",
    "--forwarded-allow-ips",
    "--interface",
    "--h11-max-incomplete-event-size",
    "--timeout-graceful-shutdown",
];
const DAPHNE_VALUE_OPTS: &[&str] = &[
    "-b",
    "--bind",
    "-p",
    "--port",
    "-u",
    "--unix-socket",
    "--fd",
    "-e",
    "--endpoint",
    "--access-log",
    "--log-fmt",
    "-v",
    "--verbosity",
    "-t",
    "--http-timeout",
    "--websocket_timeout",
    "--websocket_connect_timeout",
    "--ping-interval",
    "--ping-timeout",
    "--application-close-timeout",
    "--root-path",
    "--proxy-headers-host",
    "--proxy-headers-port",
    "--server-name",
];
const HYPERCORN_VALUE_OPTS: &[&str] = &[
    "-b",
    "--bind",
    "-w",
    "--workers",
    "-k",
    "--worker-class",
    "-c",
    "--config",
    "--log-level",
    "--access-logfile",
    "--error-logfile",
    "--root-path",
    "--keep-alive",
    "--certfile",
    "--keyfile",
    "--graceful-timeout",
    "--insecure-bind",
    "--quic-bind",
];

/// `module:attr` after the options of a WSGI/ASGI server.
fn server(rest: &[&str], mut kind: EntryKind, value_opts: &[&str]) -> Option<EntryPoint> {
    let mut e = EntryPoint::default();
    let mut i = 0;
    while i < rest.len() {
        let a = rest[i];
        let (opt, inline) = match a.split_once('=') {
            Some((o, v)) if a.starts_with("--") => (o, Some(v)),
            _ => (a, None),
        };
        if opt.starts_with('-') && opt.len() > 1 {
            let takes_value = value_opts.contains(&opt);
            let value = if takes_value && inline.is_none() {
                i += 1;
                rest.get(i).copied()
            } else {
                inline
            };
            i += 1;
            let Some(v) = value else { continue };
            match opt {
                "-c" | "--config" => e.config_file = Some(v.to_string()),
                "-k" | "--worker-class" if v.contains("uvicorn") => kind = EntryKind::Asgi,
                "--interface" if v.contains("wsgi") => kind = EntryKind::Wsgi,
                "-e" | "--env" => {
                    if let Some(s) = v.strip_prefix("DJANGO_SETTINGS_MODULE=") {
                        e.settings = Some(s.to_string());
                    }
                }
                _ => {}
            }
            continue;
        }
        if e.module.is_none() {
            let (m, attr) = match a.split_once(':') {
                Some((m, attr)) => (m, Some(attr.to_string())),
                None => (a, None),
            };
            e.module = Some(m.to_string());
            e.attr = attr;
        }
        i += 1;
    }
    e.kind = Some(kind);
    (e.module.is_some() || e.config_file.is_some()).then_some(e)
}

fn celery(rest: &[&str]) -> Option<EntryPoint> {
    let mut e = EntryPoint { kind: Some(EntryKind::Celery), ..Default::default() };
    let mut i = 0;
    while i < rest.len() {
        let a = rest[i];
        if a == "-A" || a == "--app" || a == "-b" || a == "--broker" || a == "--workdir" {
            if a == "-A" || a == "--app" {
                e.module = rest.get(i + 1).map(|v| v.split(':').next().unwrap_or(v).to_string());
            }
            i += 2;
            continue;
        }
        if let Some(v) =
            a.strip_prefix("--app=").or_else(|| a.strip_prefix("-A").filter(|v| !v.is_empty()))
        {
            e.module = Some(v.split(':').next().unwrap_or(v).to_string());
        } else if !a.starts_with('-') && e.command.is_none() {
            e.command = Some(a.to_string());
        }
        i += 1;
    }
    Some(e)
}

fn manage(script: Option<&str>, rest: &[&str]) -> Option<EntryPoint> {
    let mut e = EntryPoint {
        kind: Some(EntryKind::Manage),
        module: script.map(|_| "manage".to_string()),
        script: script.map(str::to_string),
        ..Default::default()
    };
    let mut i = 0;
    while i < rest.len() {
        let a = rest[i];
        if let Some(v) = a.strip_prefix("--settings=") {
            e.settings = Some(v.to_string());
        } else if a == "--settings" {
            e.settings = rest.get(i + 1).map(|v| v.to_string());
            i += 1;
        } else if !a.starts_with('-') && e.command.is_none() {
            e.command = Some(a.to_string());
        }
        i += 1;
    }
    Some(e)
}

fn flask(rest: &[&str]) -> Option<EntryPoint> {
    let mut e = EntryPoint { kind: Some(EntryKind::Flask), ..Default::default() };
    let mut i = 0;
    while i < rest.len() {
        let a = rest[i];
        let app = if a == "--app" || a == "-A" {
            i += 1;
            rest.get(i).copied()
        } else {
            a.strip_prefix("--app=")
        };
        if let Some(v) = app {
            let (m, attr) = match v.split_once(':') {
                Some((m, attr)) => (m, Some(attr.to_string())),
                None => (v, None),
            };
            e.module = Some(m.trim_end_matches(".py").replace('/', "."));
            e.attr = attr;
        } else if !a.starts_with('-') && e.command.is_none() {
            e.command = Some(a.to_string());
        }
        i += 1;
    }
    Some(e)
}

fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn is_python(name: &str) -> bool {
    name == "python"
        || name
            .strip_prefix("python")
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Shell words with quotes removed; `&&`, `||`, `;`, `|`, `&` become separate words.
fn split_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                has = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                has = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                cur.push(n);
                            }
                        }
                        _ => cur.push(c),
                    }
                }
            }
            '\\' => {
                if let Some(n) = chars.next()
                    && n != '\n'
                {
                    cur.push(n);
                    has = true;
                }
            }
            ';' | '&' | '|' => {
                if has {
                    words.push(std::mem::take(&mut cur));
                    has = false;
                }
                let mut op = c.to_string();
                if (c == '&' || c == '|') && chars.peek() == Some(&c) {
                    op.push(chars.next().unwrap_or(c));
                }
                words.push(op);
            }
            c if c.is_whitespace() => {
                if has {
                    words.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            c => {
                cur.push(c);
                has = true;
            }
        }
    }
    if has {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    /// One command per line; `$ ` prefix means a shell string, otherwise whitespace-split argv.
    fn check(table: &str, expect: Expect) {
        let mut out = String::new();
        for line in table.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let e = match line.strip_prefix("$ ") {
                Some(sh) => entry_from_shell(sh),
                None => entry_from_command(&line.split_whitespace().collect::<Vec<_>>()),
            };
            let shown = match e {
                None => "-".to_string(),
                Some(e) => {
                    let mut s = format!("{:?}", e.kind());
                    for (k, v) in [
                        ("module", &e.module),
                        ("attr", &e.attr),
                        ("settings", &e.settings),
                        ("command", &e.command),
                        ("config", &e.config_file),
                        ("script", &e.script),
                    ] {
                        if let Some(v) = v {
                            s.push_str(&format!(" {k}={v}"));
                        }
                    }
                    s
                }
            };
            out.push_str(&format!("{line:<70} => {shown}\n"));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn commands() {
        check(
            r#"
            gunicorn app.wsgi
            gunicorn app.wsgi:application --bind 0.0.0.0:8000 -w 4
            gunicorn -c conf.py app.wsgi
            gunicorn -c gunicorn.conf.py
            gunicorn --bind=0.0.0.0:8000 -k uvicorn.workers.UvicornWorker app.asgi:application
            gunicorn -e DJANGO_SETTINGS_MODULE=app.settings.prod app.wsgi
            $ /usr/local/bin/gunicorn "app:create_app()"
            uvicorn app.asgi:application --host 0.0.0.0 --port 8000
            uvicorn --factory main:create_app --reload
            daphne -b 0.0.0.0 -p 8000 app.asgi:application
            celery -A app worker -l info
            celery --app=proj.celery:app beat
            celery worker -A tasks
            python manage.py runserver 0.0.0.0:8000
            python3 -u /app/manage.py migrate --settings=app.settings.prod
            ./manage.py collectstatic --noinput
            django-admin check --settings app.settings.ci
            python -m django migrate
            flask --app app run --host 0.0.0.0
            flask --app=hello:create_app() run
            flask run
            python -m flask --app web run
            python -m gunicorn app.wsgi
            python app.py
            ./entrypoint.sh
            /docker-entrypoint.sh gunicorn
            ./docker-entrypoint.sh gunicorn app.wsgi
            poetry run gunicorn app.wsgi
            env DJANGO_DEBUG=1 uvicorn app.asgi:app
            npm start
            python -c print(1)
            $ sh -c "python manage.py migrate && exec gunicorn app.wsgi:application -b :8000"
            $ python manage.py migrate; python manage.py runserver 0.0.0.0:8000
            $ bash -c 'celery -A app worker'
            $ exec uvicorn 'app.main:app' --port "8000"
            $ echo hi
            "#,
            expect![[r#"
                gunicorn app.wsgi                                                      => Wsgi module=app.wsgi
                gunicorn app.wsgi:application --bind 0.0.0.0:8000 -w 4                 => Wsgi module=app.wsgi attr=application
                gunicorn -c conf.py app.wsgi                                           => Wsgi module=app.wsgi config=conf.py
                gunicorn -c gunicorn.conf.py                                           => Wsgi config=gunicorn.conf.py
                gunicorn --bind=0.0.0.0:8000 -k uvicorn.workers.UvicornWorker app.asgi:application => Asgi module=app.asgi attr=application
                gunicorn -e DJANGO_SETTINGS_MODULE=app.settings.prod app.wsgi          => Wsgi module=app.wsgi settings=app.settings.prod
                $ /usr/local/bin/gunicorn "app:create_app()"                           => Wsgi module=app attr=create_app()
                uvicorn app.asgi:application --host 0.0.0.0 --port 8000                => Asgi module=app.asgi attr=application
                uvicorn --factory main:create_app --reload                             => Asgi module=main attr=create_app
                daphne -b 0.0.0.0 -p 8000 app.asgi:application                         => Asgi module=app.asgi attr=application
                celery -A app worker -l info                                           => Celery module=app command=worker
                celery --app=proj.celery:app beat                                      => Celery module=proj.celery command=beat
                celery worker -A tasks                                                 => Celery module=tasks command=worker
                python manage.py runserver 0.0.0.0:8000                                => Manage module=manage command=runserver script=manage.py
                python3 -u /app/manage.py migrate --settings=app.settings.prod         => Manage module=manage settings=app.settings.prod command=migrate script=/app/manage.py
                ./manage.py collectstatic --noinput                                    => Manage module=manage command=collectstatic script=./manage.py
                django-admin check --settings app.settings.ci                          => Manage settings=app.settings.ci command=check
                python -m django migrate                                               => Manage command=migrate
                flask --app app run --host 0.0.0.0                                     => Flask module=app command=run
                flask --app=hello:create_app() run                                     => Flask module=hello attr=create_app() command=run
                flask run                                                              => Flask command=run
                python -m flask --app web run                                          => Flask module=web command=run
                python -m gunicorn app.wsgi                                            => Wsgi module=app.wsgi
                python app.py                                                          => Script module=app script=app.py
                ./entrypoint.sh                                                        => Script script=./entrypoint.sh
                /docker-entrypoint.sh gunicorn                                         => Script script=/docker-entrypoint.sh
                ./docker-entrypoint.sh gunicorn app.wsgi                               => Wsgi module=app.wsgi
                poetry run gunicorn app.wsgi                                           => Wsgi module=app.wsgi
                env DJANGO_DEBUG=1 uvicorn app.asgi:app                                => Asgi module=app.asgi attr=app
                npm start                                                              => -
                python -c print(1)                                                     => -
                $ sh -c "python manage.py migrate && exec gunicorn app.wsgi:application -b :8000" => Wsgi module=app.wsgi attr=application
                $ python manage.py migrate; python manage.py runserver 0.0.0.0:8000    => Manage module=manage command=runserver script=manage.py
                $ bash -c 'celery -A app worker'                                       => Celery module=app command=worker
                $ exec uvicorn 'app.main:app' --port "8000"                            => Asgi module=app.main attr=app
                $ echo hi                                                              => -
            "#]],
        );
    }
}
