//! Generated inputs for the benchmarks: a long multi-stage Dockerfile, a compose file with many
//! services, and a monorepo workspace. The criterion benches, `berth-gen` (the command the
//! end-to-end scripts call) and nothing else use it. Output is deterministic for a given size.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// A small deterministic generator (xorshift64*): benchmarks must see the same input each run.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const APT: &[&str] = &[
    "build-essential",
    "ca-certificates",
    "curl",
    "git",
    "gettext",
    "libjpeg62-turbo-dev",
    "libpq-dev",
    "libffi-dev",
    "libssl-dev",
    "locales",
    "netcat-openbsd",
    "tini",
    "tzdata",
    "zlib1g-dev",
];

/// A multi-stage Dockerfile for a Python web app (builder, node assets, runtime stages),
/// cut to exactly `lines` lines.
pub fn dockerfile(lines: usize) -> String {
    let mut rng = Rng::new(lines as u64);
    let mut out: Vec<String> = vec![
        "# syntax=docker/dockerfile:1".into(),
        "# check=skip=JSONArgsRecommended".into(),
        "ARG PYTHON_VERSION=3.12".into(),
        "ARG NODE_VERSION=20".into(),
        String::new(),
    ];
    let mut i = 0;
    while out.len() < lines {
        let push = |out: &mut Vec<String>, s: String| out.push(s);
        match i % 3 {
            0 => {
                push(&mut out, format!("FROM python:${{PYTHON_VERSION}}-slim AS build-{i}"));
                push(&mut out, "ARG PIP_INDEX_URL".into());
                push(&mut out, "ENV PYTHONDONTWRITEBYTECODE=1 \\".into());
                push(&mut out, "    PYTHONUNBUFFERED=1 \\".into());
                push(&mut out, "    PIP_NO_CACHE_DIR=1".into());
                push(&mut out, format!("WORKDIR /src/app{i}"));
                let n = 3 + rng.below(6);
                let start = rng.below(APT.len());
                push(&mut out, "RUN apt-get update \\".into());
                push(&mut out, " && apt-get install -y --no-install-recommends \\".into());
                for k in 0..n {
                    push(&mut out, format!("      {} \\", APT[(start + k) % APT.len()]));
                }
                push(&mut out, " && rm -rf /var/lib/apt/lists/*".into());
                push(&mut out, "COPY requirements.txt requirements-dev.txt ./".into());
                push(&mut out, "RUN --mount=type=cache,target=/root/.cache/pip \\".into());
                push(&mut out, "    pip wheel --wheel-dir /wheels -r requirements.txt".into());
            }
            1 => {
                push(&mut out, format!("FROM node:${{NODE_VERSION}}-bookworm-slim AS assets-{i}"));
                push(&mut out, "WORKDIR /assets".into());
                push(&mut out, "ENV NODE_ENV=production".into());
                push(&mut out, "COPY package.json package-lock.json ./".into());
                push(&mut out, "RUN --mount=type=cache,target=/root/.npm npm ci".into());
                push(&mut out, "COPY assets/ ./assets/".into());
                push(&mut out, "RUN npm run build".into());
            }
            _ => {
                let b = i - 2;
                push(&mut out, format!("FROM python:${{PYTHON_VERSION}}-slim AS runtime-{i}"));
                push(&mut out, "ARG APP_VERSION=dev".into());
                push(&mut out, format!("LABEL org.opencontainers.image.title=\"app{i}\" \\"));
                push(&mut out, "      org.opencontainers.image.version=\"${APP_VERSION}\"".into());
                push(
                    &mut out,
                    "RUN groupadd --system app && useradd --system --gid app app".into(),
                );
                push(&mut out, format!("COPY --from=build-{b} /wheels /wheels"));
                push(&mut out, "RUN pip install --no-index --find-links=/wheels /wheels/*".into());
                push(&mut out, format!("COPY --from=assets-{} /assets/dist ./static/", i - 1));
                push(&mut out, "COPY --chown=app:app . /app".into());
                push(&mut out, "WORKDIR /app".into());
                push(&mut out, "ENV DJANGO_SETTINGS_MODULE=config.settings.production".into());
                push(&mut out, "USER app".into());
                push(&mut out, format!("EXPOSE {}", 8000 + i));
                push(
                    &mut out,
                    "HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS localhost:8000/ || exit 1"
                        .into(),
                );
                push(
                    &mut out,
                    "CMD [\"gunicorn\", \"config.wsgi\", \"--bind\", \"0.0.0.0:8000\"]".into(),
                );
            }
        }
        out.push(String::new());
        i += 1;
    }
    out.truncate(lines);
    // Never end on a line continuation.
    if let Some(last) = out.last_mut()
        && last.ends_with('\\')
    {
        last.pop();
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// A compose file with `services` services: an `x-` anchor merged into every service, build
/// sections and images, environment lists and maps, ports, depends_on, volumes, networks.
pub fn compose(services: usize) -> String {
    let mut rng = Rng::new(services as u64 + 7);
    let mut s = String::with_capacity(services * 600);
    s.push_str("name: bench\n\n");
    s.push_str("x-common: &common\n  restart: unless-stopped\n  logging:\n    driver: json-file\n");
    s.push_str("    options:\n      max-size: 10m\n");
    s.push_str("x-env: &default-env\n  LOG_LEVEL: info\n  PYTHONUNBUFFERED: \"1\"\n\n");
    s.push_str("services:\n");
    for i in 0..services {
        let name = format!("svc-{i:04}");
        let _ = writeln!(s, "  {name}:");
        let _ = writeln!(s, "    <<: *common");
        if i % 3 == 2 {
            let _ =
                writeln!(s, "    image: registry.example.com/bench/{name}:1.{}.{}", i % 7, i % 13);
        } else {
            let _ = writeln!(s, "    build:");
            let _ = writeln!(s, "      context: ./services/{name}");
            let _ = writeln!(s, "      dockerfile: Dockerfile");
            let _ = writeln!(s, "      target: runtime");
            let _ = writeln!(s, "      args:");
            let _ = writeln!(s, "        APP_VERSION: \"1.{}\"", i % 7);
        }
        if i % 5 == 0 {
            let _ =
                writeln!(s, "    command: [\"gunicorn\", \"app{i}.wsgi\", \"--workers\", \"4\"]");
        }
        if i % 2 == 0 {
            let _ = writeln!(s, "    environment:");
            let _ = writeln!(s, "      <<: *default-env");
            let _ = writeln!(s, "      SERVICE_NAME: {name}");
            let _ = writeln!(s, "      DATABASE_URL: postgres://app:app@db:5432/app{i}");
            for f in 0..rng.below(4) {
                let _ = writeln!(s, "      FEATURE_FLAG_{f}: \"{}\"", rng.below(2) == 1);
            }
        } else {
            let _ = writeln!(s, "    environment:");
            let _ = writeln!(s, "      - LOG_LEVEL=debug");
            let _ = writeln!(s, "      - SERVICE_NAME={name}");
            let _ = writeln!(s, "      - CACHE_URL=redis://cache:6379/{}", i % 16);
            let _ = writeln!(s, "      - SECRET_KEY");
        }
        if i > 0 {
            let _ = writeln!(s, "    depends_on:");
            let mut deps: Vec<usize> = (0..1 + rng.below(3)).map(|_| rng.below(i)).collect();
            deps.sort_unstable();
            deps.dedup();
            for d in deps {
                if i % 4 == 0 {
                    let _ = writeln!(s, "      svc-{d:04}:\n        condition: service_started");
                } else {
                    let _ = writeln!(s, "      - svc-{d:04}");
                }
            }
        }
        let _ = writeln!(s, "    ports:");
        let _ = writeln!(s, "      - \"{}:8000\"", 20000 + i);
        if i % 3 == 0 {
            let _ = writeln!(s, "      - \"127.0.0.1:{}:9090\"", 40000 + i);
        }
        let _ = writeln!(s, "    volumes:");
        let _ = writeln!(s, "      - ./data/{name}:/var/lib/app");
        let _ = writeln!(s, "      - shared-cache:/cache");
        let _ = writeln!(s, "    networks:");
        let _ = writeln!(s, "      - backend");
        if i % 2 == 0 {
            let _ = writeln!(s, "      - frontend");
        }
        if i % 4 == 1 {
            let _ = writeln!(s, "    healthcheck:");
            let _ =
                writeln!(s, "      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/\"]");
            let _ = writeln!(s, "      interval: 30s");
            let _ = writeln!(s, "      retries: 3");
        }
    }
    s.push_str("\nnetworks:\n  backend:\n    driver: bridge\n  frontend:\n    driver: bridge\n");
    s.push_str("\nvolumes:\n  shared-cache:\n");
    s
}

const SETTINGS_BASE: &str = "import os\n\nimport environ\n\nenv = environ.Env()\n\n\
SECRET_KEY = env(\"SECRET_KEY\")\nDEBUG = env.bool(\"DEBUG\", default=False)\n\
DATABASES = {\"default\": env.db(\"DATABASE_URL\")}\n\
CACHE_URL = os.environ.get(\"CACHE_URL\", \"redis://cache:6379/0\")\n\
LOG_LEVEL = os.getenv(\"LOG_LEVEL\", \"info\")\n\
ALLOWED_HOSTS = env.list(\"ALLOWED_HOSTS\", default=[\"localhost\"])\n";

const SETTINGS_PROD: &str = "from .base import *  # noqa\n\nimport os\n\n\
DEBUG = False\nSENTRY_DSN = os.environ[\"SENTRY_DSN\"]\n";

/// Files in one generated package (see `workspace`).
const FILES_PER_PACKAGE: usize = 8;

/// A monorepo of about `files` files: packages `pkg-NNNN/`, each a Python web app with a
/// Dockerfile, a compose file and its override, `.env` files and a settings package.
/// Returns how many files were written.
pub fn workspace(dir: &Path, files: usize) -> io::Result<usize> {
    let packages = files.div_ceil(FILES_PER_PACKAGE).max(1);
    let mut written = 0;
    let mut write = |rel: String, text: &str| -> io::Result<()> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
        written += 1;
        Ok(())
    };
    let dockerfile_text = dockerfile(60);
    for p in 0..packages {
        let pkg = format!("pkg-{p:04}");
        let services = 5 + p % 20;
        write(format!("{pkg}/Dockerfile"), &dockerfile_text)?;
        write(format!("{pkg}/compose.yaml"), &compose(services))?;
        let over = format!(
            "services:\n  svc-0000:\n    environment:\n      DEBUG: \"1\"\n    ports:\n      - \"{}:5678\"\n",
            10000 + p
        );
        write(format!("{pkg}/compose.override.yaml"), &over)?;
        let env = format!(
            "# local settings for {pkg}\nSECRET_KEY=dev-{p}\nDEBUG=1\n\
DATABASE_URL=postgres://app:app@db:5432/{pkg}\nLOG_LEVEL=debug\nALLOWED_HOSTS=localhost,127.0.0.1\n"
        );
        write(format!("{pkg}/.env"), &env)?;
        write(format!("{pkg}/.env.example"), "SECRET_KEY=\nDATABASE_URL=\n")?;
        write(format!("{pkg}/app/settings/__init__.py"), "")?;
        write(format!("{pkg}/app/settings/base.py"), SETTINGS_BASE)?;
        write(format!("{pkg}/app/settings/production.py"), SETTINGS_PROD)?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(dockerfile(2000).lines().count(), 2000);
        let c = compose(500);
        assert_eq!(c.matches("\n  svc-").count(), 500);
        assert!(c.lines().count() > 10_000, "{}", c.lines().count());
    }
}
