//! What berth knows about the Dockerfile language, as data: instructions and their flags,
//! `RUN --mount` types and keys, parser directives, BuildKit's predefined build arguments,
//! popular official images, signals. Completion, hover, signature help and the
//! `unknown-flag`-style rules all read these tables; none of them hard-codes Dockerfile facts.
//!
//! Facts follow Docker's Dockerfile reference (BuildKit frontend `docker/dockerfile:1`); the
//! wording is ours.

/// What a flag or mount key takes as its value; drives completion of values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// A switch: `--link` (an explicit `=true`/`=false` is allowed too).
    Switch,
    Bool,
    Text,
    Path,
    /// `os/arch[/variant]`.
    Platform,
    /// A stage name, stage index, image reference or named build context.
    StageOrImage,
    /// A Go duration such as `30s` or `1m30s`.
    Duration,
    Integer,
    /// An octal file mode such as `0755`, or symbolic like `u+x` for `--chmod`.
    Mode,
    /// `user[:group]`, names or ids.
    Owner,
    /// A digest such as `sha256:…`.
    Checksum,
    /// A byte size such as `64m`.
    Size,
    /// The value of `RUN --mount`: comma-separated `key=value` pairs.
    Mount,
    /// One of a fixed set of words.
    OneOf(&'static [&'static str]),
}

impl ValueKind {
    /// The fixed set of values, where there is one.
    pub fn choices(self) -> &'static [&'static str] {
        match self {
            ValueKind::OneOf(v) => v,
            ValueKind::Bool | ValueKind::Switch => &["true", "false"],
            ValueKind::Platform => PLATFORMS,
            _ => &[],
        }
    }

    /// A short human description, for hover and completion details.
    pub fn describe(self) -> &'static str {
        match self {
            ValueKind::Switch => "switch",
            ValueKind::Bool => "true | false",
            ValueKind::Text => "text",
            ValueKind::Path => "path",
            ValueKind::Platform => "os/arch[/variant]",
            ValueKind::StageOrImage => "stage, image or build context",
            ValueKind::Duration => "duration (e.g. 30s)",
            ValueKind::Integer => "integer",
            ValueKind::Mode => "file mode (e.g. 0755)",
            ValueKind::Owner => "user[:group]",
            ValueKind::Checksum => "digest (sha256:…)",
            ValueKind::Size => "size (e.g. 64m)",
            ValueKind::Mount => "type=…,key=value,…",
            ValueKind::OneOf(_) => "one of a fixed set",
        }
    }
}

#[derive(Debug)]
pub struct FlagDoc {
    /// Without the leading `--`.
    pub name: &'static str,
    pub value: ValueKind,
    pub doc: &'static str,
    pub example: &'static str,
    /// Needs a labs or recent frontend (`# syntax=docker/dockerfile:1.7-labs`, …).
    pub note: Option<&'static str>,
}

#[derive(Debug)]
pub struct InstructionDoc {
    /// Upper case, as documented.
    pub name: &'static str,
    /// Each accepted form, e.g. `COPY [--flags] <src>... <dest>`.
    pub syntax: &'static [&'static str],
    pub summary: &'static str,
    pub example: &'static str,
    /// Completion snippet for what follows the keyword (snippet syntax).
    pub snippet: &'static str,
    pub flags: &'static [FlagDoc],
    pub deprecated: bool,
    /// Allowed after `ONBUILD`.
    pub onbuild: bool,
}

#[derive(Debug)]
pub struct MountKeyDoc {
    pub name: &'static str,
    /// Other spellings BuildKit accepts for the same key (`dst` for `target`).
    pub aliases: &'static [&'static str],
    pub value: ValueKind,
    pub doc: &'static str,
}

impl MountKeyDoc {
    pub fn matches(&self, key: &str) -> bool {
        self.name.eq_ignore_ascii_case(key)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(key))
    }
}

#[derive(Debug)]
pub struct MountTypeDoc {
    pub name: &'static str,
    pub doc: &'static str,
    pub example: &'static str,
    pub keys: &'static [MountKeyDoc],
}

#[derive(Debug)]
pub struct DirectiveDoc {
    pub name: &'static str,
    pub doc: &'static str,
    pub example: &'static str,
    /// Typical values offered by completion.
    pub values: &'static [&'static str],
}

#[derive(Debug)]
pub struct PredefinedArg {
    pub name: &'static str,
    pub doc: &'static str,
    pub example: &'static str,
    /// Set automatically in the global scope of every build (needs `ARG NAME` in a stage to be
    /// visible there), as opposed to the proxy arguments that the user passes.
    pub automatic: bool,
}

#[derive(Debug)]
pub struct ImageDoc {
    pub name: &'static str,
    pub summary: &'static str,
    pub tags: &'static [&'static str],
}

#[derive(Debug)]
pub struct SignalDoc {
    pub name: &'static str,
    pub number: u8,
    pub doc: &'static str,
}

/// Look an instruction up by keyword, in any case.
pub fn instruction(name: &str) -> Option<&'static InstructionDoc> {
    INSTRUCTIONS.iter().find(|i| i.name.eq_ignore_ascii_case(name))
}

/// The flags an instruction accepts (empty for unknown instructions).
pub fn flags(instruction_name: &str) -> &'static [FlagDoc] {
    instruction(instruction_name).map_or(&[], |i| i.flags)
}

/// One flag of one instruction.
pub fn flag(instruction_name: &str, flag: &str) -> Option<&'static FlagDoc> {
    flags(instruction_name).iter().find(|f| f.name == flag)
}

pub fn mount_type(name: &str) -> Option<&'static MountTypeDoc> {
    MOUNT_TYPES.iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

/// The keys a `RUN --mount=type=<ty>` accepts, `type` included. An unknown type has none;
/// a mount without `type=` is a bind mount.
pub fn mount_keys(ty: &str) -> &'static [MountKeyDoc] {
    mount_type(ty).map_or(&[], |t| t.keys)
}

pub fn mount_key(ty: &str, key: &str) -> Option<&'static MountKeyDoc> {
    mount_keys(ty).iter().find(|k| k.matches(key))
}

pub fn directive(name: &str) -> Option<&'static DirectiveDoc> {
    DIRECTIVES.iter().find(|d| d.name.eq_ignore_ascii_case(name))
}

pub fn predefined_arg(name: &str) -> Option<&'static PredefinedArg> {
    PREDEFINED_ARGS.iter().find(|a| a.name == name)
}

/// An official image by name, with or without the `library/` and `docker.io/` prefixes.
pub fn official_image(name: &str) -> Option<&'static ImageDoc> {
    let name = name.strip_prefix("docker.io/").unwrap_or(name);
    let name = name.strip_prefix("library/").unwrap_or(name);
    IMAGES.iter().find(|i| i.name == name)
}

pub fn signal(name: &str) -> Option<&'static SignalDoc> {
    let upper = name.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    SIGNALS.iter().find(|s| &s.name[3..] == bare)
}

const fn mk_flag(
    name: &'static str,
    value: ValueKind,
    doc: &'static str,
    example: &'static str,
) -> FlagDoc {
    FlagDoc { name, value, doc, example, note: None }
}

const fn mk_labs_flag(
    name: &'static str,
    value: ValueKind,
    doc: &'static str,
    example: &'static str,
    note: &'static str,
) -> FlagDoc {
    FlagDoc { name, value, doc, example, note: Some(note) }
}

pub const PLATFORMS: &[&str] = &[
    "linux/amd64",
    "linux/arm64",
    "linux/arm/v7",
    "linux/arm/v6",
    "linux/386",
    "linux/ppc64le",
    "linux/s390x",
    "linux/riscv64",
    "windows/amd64",
    "$BUILDPLATFORM",
    "$TARGETPLATFORM",
];

pub const EXPOSE_PROTOCOLS: &[(&str, &str)] = &[
    ("tcp", "TCP, the default when no protocol is given."),
    ("udp", "UDP datagrams."),
    ("sctp", "SCTP (Stream Control Transmission Protocol)."),
];

/// Common `SHELL` forms, as they appear after the keyword.
pub const SHELL_FORMS: &[(&str, &str)] = &[
    (
        r#"["/bin/bash", "-o", "pipefail", "-c"]"#,
        "Bash that fails a pipeline when any part of it fails (recommended by hadolint DL4006).",
    ),
    (r#"["/bin/bash", "-c"]"#, "Bash instead of the default `/bin/sh`."),
    (r#"["/bin/sh", "-c"]"#, "The default shell on Linux."),
    (
        r#"["/bin/ash", "-eo", "pipefail", "-c"]"#,
        "BusyBox ash (Alpine) that stops on errors and failing pipelines.",
    ),
    (r#"["cmd", "/S", "/C"]"#, "The default shell on Windows."),
    (r#"["powershell", "-Command"]"#, "PowerShell on Windows images."),
];

const CHOWN: FlagDoc = mk_flag(
    "chown",
    ValueKind::Owner,
    "Owner of the copied files, as `user`, `user:group`, or numeric ids. Names are looked up in the image's `/etc/passwd` and `/etc/group`; without it files belong to root (uid and gid 0).",
    "COPY --chown=app:app src/ /app/src/",
);
const CHMOD: FlagDoc = mk_flag(
    "chmod",
    ValueKind::Mode,
    "Permission bits for the copied files, as an octal number such as `0755` (newer frontends also accept symbolic modes like `u+x`).",
    "COPY --chmod=0755 entrypoint.sh /usr/local/bin/",
);
const LINK: FlagDoc = mk_flag(
    "link",
    ValueKind::Switch,
    "Put the copied files in a layer of their own that does not depend on the layers before it, so the layer can be reused even when earlier layers change, and rebased without a rebuild.",
    "COPY --link --from=build /app /app",
);
const EXCLUDE: FlagDoc = mk_labs_flag(
    "exclude",
    ValueKind::Path,
    "Leave out files matching this pattern (`.dockerignore` syntax); may be repeated.",
    "COPY --exclude=*.pyc --exclude=tests/ . /app",
    "Needs `# syntax=docker/dockerfile:1.7-labs` or a frontend newer than 1.7.",
);
const PARENTS: FlagDoc = mk_labs_flag(
    "parents",
    ValueKind::Switch,
    "Keep the parent directories of each source path below the destination, instead of flattening them. A `/./` in a source path marks where the kept part starts.",
    "COPY --parents ./services/*/requirements.txt /src/",
    "Needs `# syntax=docker/dockerfile:1.7-labs` or a frontend newer than 1.7.",
);
const COPY_FROM: FlagDoc = mk_flag(
    "from",
    ValueKind::StageOrImage,
    "Copy from an earlier build stage (by name or index), an image, or a named build context instead of the build context.",
    "COPY --from=builder /app/dist /app",
);

const FROM_FLAGS: &[FlagDoc] = &[mk_flag(
    "platform",
    ValueKind::Platform,
    "Pull the image for this platform instead of the target platform, e.g. `$BUILDPLATFORM` to run build tools natively while cross-compiling.",
    "FROM --platform=$BUILDPLATFORM golang:1.23 AS build",
)];

const COPY_FLAGS: &[FlagDoc] = &[COPY_FROM, CHOWN, CHMOD, LINK, PARENTS, EXCLUDE];

const ADD_FLAGS: &[FlagDoc] = &[
    CHOWN,
    CHMOD,
    LINK,
    mk_flag(
        "checksum",
        ValueKind::Checksum,
        "Verify a remote source against this digest; the build fails on a mismatch. Works for HTTP sources and, on newer frontends, for Git sources (a commit digest).",
        "ADD --checksum=sha256:24454f830cd... https://example.com/tool.tar.gz /opt/",
    ),
    mk_flag(
        "keep-git-dir",
        ValueKind::Switch,
        "When the source is a Git repository, keep its `.git` directory in the copy.",
        "ADD --keep-git-dir=true https://github.com/org/repo.git#v1.0 /src",
    ),
    PARENTS,
    EXCLUDE,
];

const RUN_FLAGS: &[FlagDoc] = &[
    mk_flag(
        "mount",
        ValueKind::Mount,
        "Attach a mount while the command runs: a bind mount from the context or a stage, a cache directory that survives builds, a tmpfs, a secret or an SSH agent socket. May be repeated.",
        "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
    ),
    mk_flag(
        "network",
        ValueKind::OneOf(&["default", "none", "host"]),
        "Network access for the command: `default` (the normal build network), `none` (no network at all) or `host` (the host's network; must be allowed by the builder).",
        "RUN --network=none pip install --no-index --find-links=/wheels app",
    ),
    mk_flag(
        "security",
        ValueKind::OneOf(&["sandbox", "insecure"]),
        "`insecure` runs the command without the sandbox, like a privileged container (the builder must allow the `security.insecure` entitlement); `sandbox` is the default.",
        "RUN --security=insecure mount -t tmpfs none /mnt",
    ),
];

const HEALTHCHECK_FLAGS: &[FlagDoc] = &[
    mk_flag(
        "interval",
        ValueKind::Duration,
        "Time between checks, counted from the end of the previous one. Default `30s`.",
        "HEALTHCHECK --interval=10s CMD curl -f http://localhost/ || exit 1",
    ),
    mk_flag(
        "timeout",
        ValueKind::Duration,
        "How long one check may run before it counts as failed. Default `30s`.",
        "HEALTHCHECK --timeout=3s CMD curl -f http://localhost/ || exit 1",
    ),
    mk_flag(
        "start-period",
        ValueKind::Duration,
        "Grace period after start-up in which failures do not count towards `--retries` (a success ends it early). Default `0s`.",
        "HEALTHCHECK --start-period=30s CMD curl -f http://localhost/ || exit 1",
    ),
    mk_flag(
        "start-interval",
        ValueKind::Duration,
        "Time between checks during the start period. Default `5s`; needs Docker Engine 25 or newer.",
        "HEALTHCHECK --start-period=30s --start-interval=2s CMD pg_isready",
    ),
    mk_flag(
        "retries",
        ValueKind::Integer,
        "Consecutive failures after which the container is reported unhealthy. Default `3`.",
        "HEALTHCHECK --retries=5 CMD curl -f http://localhost/ || exit 1",
    ),
];

pub const INSTRUCTIONS: &[InstructionDoc] = &[
    InstructionDoc {
        name: "FROM",
        syntax: &[
            "FROM [--platform=<platform>] <image>[:<tag>] [AS <name>]",
            "FROM [--platform=<platform>] <image>[@<digest>] [AS <name>]",
        ],
        summary: "Starts a new build stage from a base image (or `scratch` for an empty one). `AS <name>` names the stage so later `FROM`, `COPY --from` and `--mount=from=` can refer to it. Only `ARG` may come before the first `FROM`.",
        example: "FROM python:3.12-slim AS base",
        snippet: "${1:image}:${2:tag} AS ${3:name}",
        flags: FROM_FLAGS,
        deprecated: false,
        onbuild: false,
    },
    InstructionDoc {
        name: "RUN",
        syntax: &[
            "RUN [--mount=<mount>] [--network=<mode>] [--security=<mode>] <command>",
            "RUN [--flags] [\"<executable>\", \"<param>\", ...]",
            "RUN [--flags] <<EOF … EOF",
        ],
        summary: "Runs a command while building and commits the result as a new layer. The shell form runs through the shell (`/bin/sh -c` unless `SHELL` changes it); the exec form runs the program directly without variable expansion; a heredoc runs a whole script.",
        example: "RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r requirements.txt",
        snippet: "${1:command}",
        flags: RUN_FLAGS,
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "CMD",
        syntax: &[
            "CMD [\"<executable>\", \"<param>\", ...]",
            "CMD [\"<param>\", ...]",
            "CMD <command>",
        ],
        summary: "The default command of a container started from the image; `docker run` arguments replace it. With an `ENTRYPOINT`, the exec form supplies default arguments for it instead. Only the last `CMD` of a stage counts.",
        example: "CMD [\"gunicorn\", \"app.wsgi\", \"--bind\", \"0.0.0.0:8000\"]",
        snippet: "[\"${1:executable}\"${2:, \"${3:arg}\"}]",
        flags: &[],
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "LABEL",
        syntax: &["LABEL <key>=<value> [<key>=<value> ...]"],
        summary: "Adds metadata to the image as key/value pairs. Labels are inherited from the base image; a later value for the same key wins. OCI keys such as `org.opencontainers.image.source` are widely understood.",
        example: "LABEL org.opencontainers.image.source=\"https://github.com/acme/shop\"",
        snippet: "${1:key}=\"${2:value}\"",
        flags: &[],
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "MAINTAINER",
        syntax: &["MAINTAINER <name>"],
        summary: "Deprecated: records the image author. Use `LABEL org.opencontainers.image.authors=\"…\"` instead.",
        example: "LABEL org.opencontainers.image.authors=\"team@example.com\"",
        snippet: "${1:name}",
        flags: &[],
        deprecated: true,
        onbuild: false,
    },
    InstructionDoc {
        name: "EXPOSE",
        syntax: &["EXPOSE <port>[/<protocol>] [<port>[/<protocol>] ...]"],
        summary: "Documents the ports the container listens on (TCP unless `/udp` or `/sctp` is given). It publishes nothing by itself: use `docker run -p` or compose `ports:` for that.",
        example: "EXPOSE 8000",
        snippet: "${1:8000}",
        flags: &[],
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "ENV",
        syntax: &["ENV <key>=<value> [<key>=<value> ...]", "ENV <key> <value>"],
        summary: "Sets environment variables for the rest of the stage and for containers started from the image. Later instructions can use them as `$KEY`. The space-separated legacy form sets one variable and is discouraged.",
        example: "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1",
        snippet: "${1:KEY}=${2:value}",
        flags: &[],
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "ADD",
        syntax: &["ADD [--flags] <src>... <dest>", "ADD [--flags] [\"<src>\", ... \"<dest>\"]"],
        summary: "Copies files into the image like `COPY`, and can also fetch URLs and Git repositories and unpack local tar archives. Prefer `COPY` for plain files so the behaviour stays obvious.",
        example: "ADD --checksum=sha256:… https://example.com/tool.tar.gz /opt/",
        snippet: "${1:src} ${2:dest}",
        flags: ADD_FLAGS,
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "COPY",
        syntax: &["COPY [--flags] <src>... <dest>", "COPY [--flags] [\"<src>\", ... \"<dest>\"]"],
        summary: "Copies files from the build context (or with `--from`, from another stage, image or build context) into the image. Sources may use wildcards; a destination ending in `/` is a directory, relative to `WORKDIR`.",
        example: "COPY --chown=app:app . /app",
        snippet: "${1:src} ${2:dest}",
        flags: COPY_FLAGS,
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "ENTRYPOINT",
        syntax: &["ENTRYPOINT [\"<executable>\", \"<param>\", ...]", "ENTRYPOINT <command>"],
        summary: "The program a container runs; `CMD` and `docker run` arguments are appended to the exec form. The shell form ignores those arguments and does not receive signals directly, so the exec form is usually wanted.",
        example: "ENTRYPOINT [\"/app/docker-entrypoint.sh\"]",
        snippet: "[\"${1:executable}\"]",
        flags: &[],
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "VOLUME",
        syntax: &["VOLUME [\"<path>\", ...]", "VOLUME <path> [<path> ...]"],
        summary: "Marks paths as mount points for external volumes. A container gets an anonymous volume there unless one is mounted; changes made to the path by later build steps are discarded.",
        example: "VOLUME /var/lib/app/data",
        snippet: "${1:/data}",
        flags: &[],
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "USER",
        syntax: &["USER <user>[:<group>]", "USER <uid>[:<gid>]"],
        summary: "The user (and optionally group) for the following `RUN`, `CMD` and `ENTRYPOINT` instructions and for the container. Running as a non-root user is good practice.",
        example: "USER app:app",
        snippet: "${1:user}",
        flags: &[],
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "WORKDIR",
        syntax: &["WORKDIR <path>"],
        summary: "Sets the working directory for the following instructions and for the container, creating it if needed. A relative path is taken relative to the previous `WORKDIR`.",
        example: "WORKDIR /app",
        snippet: "${1:/app}",
        flags: &[],
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "ARG",
        syntax: &["ARG <name>[=<default>] [<name>[=<default>] ...]"],
        summary: "Declares a build argument that `--build-arg` (or compose `build.args`) may set. An `ARG` before the first `FROM` is global and only usable in `FROM` lines unless a stage declares it again; inside a stage it is visible from its declaration to the end of the stage. Values are not kept in the final image's environment, but can show up in its history, so never pass secrets this way.",
        example: "ARG PYTHON_VERSION=3.12",
        snippet: "${1:NAME}=${2:default}",
        flags: &[],
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "ONBUILD",
        syntax: &["ONBUILD <instruction>"],
        summary: "Stores an instruction that runs later, when another build uses this image as its base: a trigger for images meant to be built upon. `ONBUILD ONBUILD`, `FROM` and `MAINTAINER` are not allowed.",
        example: "ONBUILD COPY requirements.txt /app/",
        snippet: "${1:INSTRUCTION}",
        flags: &[],
        deprecated: false,
        onbuild: false,
    },
    InstructionDoc {
        name: "STOPSIGNAL",
        syntax: &["STOPSIGNAL <signal>"],
        summary: "The signal sent to the container's main process to stop it, by name (`SIGTERM`) or number (`15`). The default is `SIGTERM`.",
        example: "STOPSIGNAL SIGINT",
        snippet: "${1:SIGTERM}",
        flags: &[],
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "HEALTHCHECK",
        syntax: &["HEALTHCHECK [--flags] CMD <command>", "HEALTHCHECK NONE"],
        summary: "How the engine checks that a running container still works: the command runs periodically and an exit status of 0 means healthy, 1 unhealthy. `NONE` turns off a check inherited from the base image. Only the last one in a stage counts.",
        example: "HEALTHCHECK --interval=30s --timeout=3s \\\n    CMD curl -f http://localhost:8000/health || exit 1",
        snippet: "CMD ${1:command}",
        flags: HEALTHCHECK_FLAGS,
        deprecated: false,
        onbuild: true,
    },
    InstructionDoc {
        name: "SHELL",
        syntax: &["SHELL [\"<executable>\", \"<param>\", ...]"],
        summary: "Replaces the shell used by the shell form of later `RUN`, `CMD` and `ENTRYPOINT` instructions. Must be written as a JSON array.",
        example: "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
        snippet: "[\"${1:/bin/bash}\", \"${2:-c}\"]",
        flags: &[],
        deprecated: false,
        onbuild: true,
    },
];

const BIND_KEYS: &[MountKeyDoc] = &[
    TYPE_KEY,
    MountKeyDoc {
        name: "target",
        aliases: &["dst", "destination"],
        value: ValueKind::Path,
        doc: "Where the mount appears inside the build container. Required.",
    },
    MountKeyDoc {
        name: "source",
        aliases: &["src"],
        value: ValueKind::Path,
        doc: "Path inside `from` to mount. Defaults to its root.",
    },
    MountKeyDoc {
        name: "from",
        aliases: &[],
        value: ValueKind::StageOrImage,
        doc: "Stage, image or build context to mount from. Defaults to the build context.",
    },
    MountKeyDoc {
        name: "rw",
        aliases: &["readwrite"],
        value: ValueKind::Switch,
        doc: "Make the mount writable. Writes are thrown away after the command.",
    },
];

const TYPE_KEY: MountKeyDoc = MountKeyDoc {
    name: "type",
    aliases: &[],
    value: ValueKind::OneOf(&["bind", "cache", "tmpfs", "secret", "ssh"]),
    doc: "The kind of mount: `bind` (default), `cache`, `tmpfs`, `secret` or `ssh`.",
};

const CACHE_KEYS: &[MountKeyDoc] = &[
    TYPE_KEY,
    MountKeyDoc {
        name: "id",
        aliases: &[],
        value: ValueKind::Text,
        doc: "Names the cache so different targets or stages can share it. Defaults to the target path.",
    },
    MountKeyDoc {
        name: "target",
        aliases: &["dst", "destination"],
        value: ValueKind::Path,
        doc: "Where the cache directory appears. Required.",
    },
    MountKeyDoc {
        name: "ro",
        aliases: &["readonly"],
        value: ValueKind::Switch,
        doc: "Mount the cache read-only.",
    },
    MountKeyDoc {
        name: "sharing",
        aliases: &[],
        value: ValueKind::OneOf(&["shared", "private", "locked"]),
        doc: "What happens when several builds use the cache at once: `shared` (default) lets them write together, `private` gives each a fresh copy, `locked` makes the others wait.",
    },
    MountKeyDoc {
        name: "from",
        aliases: &[],
        value: ValueKind::StageOrImage,
        doc: "Stage or image whose contents seed an empty cache.",
    },
    MountKeyDoc {
        name: "source",
        aliases: &["src"],
        value: ValueKind::Path,
        doc: "Subpath of `from` used as the seed.",
    },
    MountKeyDoc {
        name: "mode",
        aliases: &[],
        value: ValueKind::Mode,
        doc: "Permissions of a newly created cache directory, in octal. Default `0755`.",
    },
    MountKeyDoc {
        name: "uid",
        aliases: &[],
        value: ValueKind::Integer,
        doc: "Owner user id of a newly created cache directory. Default `0`.",
    },
    MountKeyDoc {
        name: "gid",
        aliases: &[],
        value: ValueKind::Integer,
        doc: "Owner group id of a newly created cache directory. Default `0`.",
    },
];

const TMPFS_KEYS: &[MountKeyDoc] = &[
    TYPE_KEY,
    MountKeyDoc {
        name: "target",
        aliases: &["dst", "destination"],
        value: ValueKind::Path,
        doc: "Where the in-memory filesystem appears. Required.",
    },
    MountKeyDoc {
        name: "size",
        aliases: &[],
        value: ValueKind::Size,
        doc: "Upper limit on the filesystem's size.",
    },
];

const SECRET_KEYS: &[MountKeyDoc] = &[
    TYPE_KEY,
    MountKeyDoc {
        name: "id",
        aliases: &[],
        value: ValueKind::Text,
        doc: "Which secret to expose, as passed with `docker build --secret id=…`. Defaults to the base name of the target.",
    },
    MountKeyDoc {
        name: "target",
        aliases: &["dst", "destination"],
        value: ValueKind::Path,
        doc: "File path of the secret. Defaults to `/run/secrets/<id>` unless `env` is set.",
    },
    MountKeyDoc {
        name: "env",
        aliases: &[],
        value: ValueKind::Text,
        doc: "Expose the secret as this environment variable instead of (or with `target`, as well as) a file.",
    },
    MountKeyDoc {
        name: "required",
        aliases: &[],
        value: ValueKind::Bool,
        doc: "Fail the step when the secret was not provided. Default `false`.",
    },
    MountKeyDoc {
        name: "mode",
        aliases: &[],
        value: ValueKind::Mode,
        doc: "Permissions of the secret file, in octal. Default `0400`.",
    },
    MountKeyDoc {
        name: "uid",
        aliases: &[],
        value: ValueKind::Integer,
        doc: "Owner user id of the secret file. Default `0`.",
    },
    MountKeyDoc {
        name: "gid",
        aliases: &[],
        value: ValueKind::Integer,
        doc: "Owner group id of the secret file. Default `0`.",
    },
];

const SSH_KEYS: &[MountKeyDoc] = &[
    TYPE_KEY,
    MountKeyDoc {
        name: "id",
        aliases: &[],
        value: ValueKind::Text,
        doc: "Which SSH agent socket or key to forward (`docker build --ssh id=…`). Default `default`.",
    },
    MountKeyDoc {
        name: "target",
        aliases: &["dst", "destination"],
        value: ValueKind::Path,
        doc: "Path of the agent socket. Default `/run/buildkit/ssh_agent.${N}`; `SSH_AUTH_SOCK` points at it.",
    },
    MountKeyDoc {
        name: "required",
        aliases: &[],
        value: ValueKind::Bool,
        doc: "Fail the step when no SSH key is available. Default `false`.",
    },
    MountKeyDoc {
        name: "mode",
        aliases: &[],
        value: ValueKind::Mode,
        doc: "Permissions of the socket, in octal. Default `0600`.",
    },
    MountKeyDoc {
        name: "uid",
        aliases: &[],
        value: ValueKind::Integer,
        doc: "Owner user id of the socket. Default `0`.",
    },
    MountKeyDoc {
        name: "gid",
        aliases: &[],
        value: ValueKind::Integer,
        doc: "Owner group id of the socket. Default `0`.",
    },
];

pub const MOUNT_TYPES: &[MountTypeDoc] = &[
    MountTypeDoc {
        name: "bind",
        doc: "Mounts files from the build context, a stage or an image, read-only by default. Nothing ends up in the layer, so it suits files only needed while the command runs.",
        example: "RUN --mount=type=bind,source=requirements.txt,target=/tmp/requirements.txt \\\n    pip install -r /tmp/requirements.txt",
        keys: BIND_KEYS,
    },
    MountTypeDoc {
        name: "cache",
        doc: "A directory that persists between builds, for package-manager and compiler caches. Its contents never reach the image.",
        example: "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
        keys: CACHE_KEYS,
    },
    MountTypeDoc {
        name: "tmpfs",
        doc: "An empty in-memory filesystem that exists only while the command runs.",
        example: "RUN --mount=type=tmpfs,target=/tmp,size=256m make test",
        keys: TMPFS_KEYS,
    },
    MountTypeDoc {
        name: "secret",
        doc: "Gives the command a secret (token, password, key) passed to the build with `--secret`, as a file or an environment variable, without storing it in any layer.",
        example: "RUN --mount=type=secret,id=pypi_token,env=PIP_INDEX_TOKEN pip install -r requirements.txt",
        keys: SECRET_KEYS,
    },
    MountTypeDoc {
        name: "ssh",
        doc: "Forwards the SSH agent (or keys) passed with `--ssh`, e.g. to clone private Git repositories, without copying keys into the image.",
        example: "RUN --mount=type=ssh pip install git+ssh://git@github.com/acme/private.git",
        keys: SSH_KEYS,
    },
];

pub const DIRECTIVES: &[DirectiveDoc] = &[
    DirectiveDoc {
        name: "syntax",
        doc: "Chooses the Dockerfile frontend (parser) image BuildKit uses for this file, e.g. `docker/dockerfile:1` for the newest stable syntax or a `-labs` channel for experimental features. Must be in the comment block at the very top of the file.",
        example: "# syntax=docker/dockerfile:1",
        values: &["docker/dockerfile:1", "docker/dockerfile:1.7-labs", "docker/dockerfile:1-labs"],
    },
    DirectiveDoc {
        name: "escape",
        doc: "Sets the escape character used for line continuations and escaping: `\\` (default) or `` ` `` (handy on Windows, where `\\` separates paths).",
        example: "# escape=`",
        values: &["\\", "`"],
    },
    DirectiveDoc {
        name: "check",
        doc: "Configures BuildKit's build checks: `skip=` a comma-separated list of check names (or `all`), and `error=true` to fail the build on a violation. Parts are separated by `;`.",
        example: "# check=skip=JSONArgsRecommended;error=true",
        values: &["skip=", "error=true", "skip=all"],
    },
];

pub const PREDEFINED_ARGS: &[PredefinedArg] = &[
    PredefinedArg {
        name: "TARGETPLATFORM",
        doc: "The platform being built for, as `os/arch[/variant]`.",
        example: "linux/arm64",
        automatic: true,
    },
    PredefinedArg {
        name: "TARGETOS",
        doc: "The operating system part of `TARGETPLATFORM`.",
        example: "linux",
        automatic: true,
    },
    PredefinedArg {
        name: "TARGETARCH",
        doc: "The architecture part of `TARGETPLATFORM`.",
        example: "arm64",
        automatic: true,
    },
    PredefinedArg {
        name: "TARGETVARIANT",
        doc: "The variant part of `TARGETPLATFORM` (often empty).",
        example: "v7",
        automatic: true,
    },
    PredefinedArg {
        name: "BUILDPLATFORM",
        doc: "The platform of the machine running the build, as `os/arch[/variant]`.",
        example: "linux/amd64",
        automatic: true,
    },
    PredefinedArg {
        name: "BUILDOS",
        doc: "The operating system part of `BUILDPLATFORM`.",
        example: "linux",
        automatic: true,
    },
    PredefinedArg {
        name: "BUILDARCH",
        doc: "The architecture part of `BUILDPLATFORM`.",
        example: "amd64",
        automatic: true,
    },
    PredefinedArg {
        name: "BUILDVARIANT",
        doc: "The variant part of `BUILDPLATFORM` (often empty).",
        example: "",
        automatic: true,
    },
    PredefinedArg {
        name: "TARGETSTAGE",
        doc: "The name of the stage being built (the `--target`), or `default` when building the last stage.",
        example: "prod",
        automatic: true,
    },
    PredefinedArg {
        name: "BUILDKIT_SYNTAX",
        doc: "Set with `--build-arg` to choose the frontend image, like a `# syntax=` directive.",
        example: "docker/dockerfile:1",
        automatic: false,
    },
    PredefinedArg {
        name: "BUILDKIT_INLINE_CACHE",
        doc: "Set to `1` to embed cache metadata in the image so later builds can use it with `--cache-from`.",
        example: "1",
        automatic: false,
    },
    PredefinedArg {
        name: "BUILDKIT_CACHE_MOUNT_NS",
        doc: "A namespace for cache mount ids, to keep caches of different projects apart.",
        example: "myproject",
        automatic: false,
    },
    PredefinedArg {
        name: "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
        doc: "Set to `1` to keep the `.git` directory when the build context is a Git repository.",
        example: "1",
        automatic: false,
    },
    PredefinedArg {
        name: "BUILDKIT_MULTI_PLATFORM",
        doc: "Set to `1` to always produce a multi-platform image index, even for one platform.",
        example: "1",
        automatic: false,
    },
    PredefinedArg {
        name: "BUILDKIT_SANDBOX_HOSTNAME",
        doc: "The host name `RUN` commands see. Default `buildkitsandbox`.",
        example: "builder",
        automatic: false,
    },
    PredefinedArg {
        name: "SOURCE_DATE_EPOCH",
        doc: "A Unix timestamp used for file and image creation times, for reproducible builds.",
        example: "1700000000",
        automatic: false,
    },
    PredefinedArg {
        name: "HTTP_PROXY",
        doc: "Proxy for HTTP requests made by build steps. Usable without an `ARG` line and kept out of the image history.",
        example: "http://proxy.example:3128",
        automatic: false,
    },
    PredefinedArg {
        name: "http_proxy",
        doc: "Lowercase spelling of `HTTP_PROXY`; some tools only read this one.",
        example: "http://proxy.example:3128",
        automatic: false,
    },
    PredefinedArg {
        name: "HTTPS_PROXY",
        doc: "Proxy for HTTPS requests made by build steps. Usable without an `ARG` line and kept out of the image history.",
        example: "http://proxy.example:3128",
        automatic: false,
    },
    PredefinedArg {
        name: "https_proxy",
        doc: "Lowercase spelling of `HTTPS_PROXY`.",
        example: "http://proxy.example:3128",
        automatic: false,
    },
    PredefinedArg {
        name: "FTP_PROXY",
        doc: "Proxy for FTP requests made by build steps.",
        example: "http://proxy.example:3128",
        automatic: false,
    },
    PredefinedArg {
        name: "ftp_proxy",
        doc: "Lowercase spelling of `FTP_PROXY`.",
        example: "http://proxy.example:3128",
        automatic: false,
    },
    PredefinedArg {
        name: "NO_PROXY",
        doc: "Hosts that build steps reach without the proxy, comma-separated.",
        example: "localhost,.internal",
        automatic: false,
    },
    PredefinedArg {
        name: "no_proxy",
        doc: "Lowercase spelling of `NO_PROXY`.",
        example: "localhost,.internal",
        automatic: false,
    },
    PredefinedArg {
        name: "ALL_PROXY",
        doc: "Proxy for any protocol not covered by a more specific variable.",
        example: "socks5://proxy.example:1080",
        automatic: false,
    },
    PredefinedArg {
        name: "all_proxy",
        doc: "Lowercase spelling of `ALL_PROXY`.",
        example: "socks5://proxy.example:1080",
        automatic: false,
    },
];

pub const SIGNALS: &[SignalDoc] = &[
    SignalDoc {
        name: "SIGTERM",
        number: 15,
        doc: "Polite request to terminate; the default stop signal.",
    },
    SignalDoc {
        name: "SIGINT",
        number: 2,
        doc: "Interrupt, as from Ctrl-C; many servers shut down gracefully on it.",
    },
    SignalDoc {
        name: "SIGQUIT",
        number: 3,
        doc: "Quit; nginx and php-fpm treat it as a graceful shutdown.",
    },
    SignalDoc {
        name: "SIGKILL",
        number: 9,
        doc: "Kills immediately; cannot be caught, so no clean-up happens.",
    },
    SignalDoc {
        name: "SIGHUP",
        number: 1,
        doc: "Hang-up; many daemons reload their configuration on it.",
    },
    SignalDoc {
        name: "SIGUSR1",
        number: 10,
        doc: "User-defined signal 1 (number on x86 and ARM Linux).",
    },
    SignalDoc {
        name: "SIGUSR2",
        number: 12,
        doc: "User-defined signal 2 (number on x86 and ARM Linux).",
    },
    SignalDoc {
        name: "SIGWINCH",
        number: 28,
        doc: "Window size change; Apache httpd stops gracefully on it.",
    },
    SignalDoc {
        name: "SIGRTMIN+3",
        number: 37,
        doc: "Real-time signal that systemd treats as a request to halt.",
    },
];

macro_rules! py_tags {
    ($($v:literal),*) => {
        &[$(
            $v,
            concat!($v, "-slim"),
            concat!($v, "-alpine"),
            concat!($v, "-bookworm"),
            concat!($v, "-slim-bookworm"),
        )*]
    };
}

pub const IMAGES: &[ImageDoc] = &[
    ImageDoc {
        name: "python",
        summary: "The Python interpreter on Debian (default, `-slim`) or Alpine (`-alpine`).",
        tags: {
            const T: &[&str] = py_tags!("3.13", "3.12", "3.11", "3.10", "3.9");
            T
        },
    },
    ImageDoc {
        name: "node",
        summary: "Node.js with npm and yarn.",
        tags: &[
            "22",
            "22-slim",
            "22-alpine",
            "20",
            "20-slim",
            "20-alpine",
            "18-alpine",
            "lts",
            "lts-slim",
            "lts-alpine",
        ],
    },
    ImageDoc {
        name: "postgres",
        summary: "The PostgreSQL database server.",
        tags: &["17", "17-alpine", "16", "16-alpine", "15", "15-alpine", "14", "13"],
    },
    ImageDoc {
        name: "redis",
        summary: "The Redis in-memory data store.",
        tags: &["7", "7-alpine", "7.4", "7.2", "6", "6-alpine"],
    },
    ImageDoc {
        name: "nginx",
        summary: "The nginx web server and reverse proxy.",
        tags: &[
            "1.27",
            "1.27-alpine",
            "1.26",
            "1.26-alpine",
            "stable",
            "stable-alpine",
            "mainline",
            "alpine",
        ],
    },
    ImageDoc {
        name: "alpine",
        summary: "A minimal Linux distribution (about 5 MB) with the apk package manager.",
        tags: &["3.21", "3.20", "3.19", "3.18", "edge"],
    },
    ImageDoc {
        name: "debian",
        summary: "The Debian GNU/Linux distribution.",
        tags: &[
            "bookworm",
            "bookworm-slim",
            "bullseye",
            "bullseye-slim",
            "trixie",
            "trixie-slim",
            "12",
            "12-slim",
            "stable-slim",
        ],
    },
    ImageDoc {
        name: "ubuntu",
        summary: "The Ubuntu distribution.",
        tags: &["24.04", "22.04", "20.04", "noble", "jammy", "focal"],
    },
    ImageDoc {
        name: "golang",
        summary: "The Go toolchain.",
        tags: &["1.23", "1.23-alpine", "1.23-bookworm", "1.22", "1.22-alpine"],
    },
    ImageDoc {
        name: "rust",
        summary: "The Rust toolchain with cargo.",
        tags: &["1", "1-slim", "1-alpine", "1.83", "1.83-slim", "slim-bookworm"],
    },
    ImageDoc {
        name: "mysql",
        summary: "The MySQL database server.",
        tags: &["8.4", "8.0", "9", "lts"],
    },
    ImageDoc {
        name: "mariadb",
        summary: "The MariaDB database server, a MySQL fork.",
        tags: &["11", "11.4", "10.11", "lts"],
    },
    ImageDoc { name: "mongo", summary: "The MongoDB document database.", tags: &["8", "7", "6"] },
    ImageDoc {
        name: "rabbitmq",
        summary: "The RabbitMQ message broker (`-management` adds the web UI).",
        tags: &["4", "4-management", "3.13", "3.13-management", "management-alpine"],
    },
    ImageDoc {
        name: "memcached",
        summary: "The memcached cache server.",
        tags: &["1.6", "1.6-alpine", "alpine"],
    },
    ImageDoc {
        name: "httpd",
        summary: "The Apache HTTP server.",
        tags: &["2.4", "2.4-alpine", "alpine"],
    },
    ImageDoc {
        name: "traefik",
        summary: "The Traefik reverse proxy and load balancer.",
        tags: &["v3", "v3.2", "v2.11"],
    },
    ImageDoc {
        name: "caddy",
        summary: "The Caddy web server with automatic HTTPS.",
        tags: &["2", "2-alpine", "2-builder"],
    },
    ImageDoc {
        name: "busybox",
        summary: "A tiny image with BusyBox's basic Unix tools.",
        tags: &["1.37", "1.36", "stable", "musl", "glibc", "uclibc"],
    },
    ImageDoc {
        name: "buildpack-deps",
        summary: "Debian or Ubuntu with common build dependencies installed.",
        tags: &["bookworm", "bookworm-curl", "bookworm-scm", "jammy"],
    },
    ImageDoc {
        name: "eclipse-temurin",
        summary: "OpenJDK builds from the Eclipse Temurin project.",
        tags: &["21", "21-jre", "21-jdk-alpine", "17", "17-jre"],
    },
    ImageDoc {
        name: "openjdk",
        summary: "Deprecated OpenJDK image; use `eclipse-temurin` or another vendor's build.",
        tags: &["21-jdk-slim", "17-jdk-slim"],
    },
    ImageDoc {
        name: "ruby",
        summary: "The Ruby interpreter.",
        tags: &["3.3", "3.3-slim", "3.3-alpine", "3.2"],
    },
    ImageDoc {
        name: "php",
        summary: "The PHP interpreter (`-fpm`, `-apache` or `-cli`).",
        tags: &["8.3-fpm", "8.3-apache", "8.3-cli", "8.3-fpm-alpine", "8.2-fpm"],
    },
    ImageDoc {
        name: "elasticsearch",
        summary: "The Elasticsearch search engine.",
        tags: &["8.16.1", "8.15.3", "7.17.25"],
    },
    ImageDoc {
        name: "influxdb",
        summary: "The InfluxDB time-series database.",
        tags: &["2", "2.7", "2-alpine", "1.11"],
    },
    ImageDoc {
        name: "haproxy",
        summary: "The HAProxy load balancer.",
        tags: &["3.0", "3.0-alpine", "2.8", "lts"],
    },
    ImageDoc {
        name: "docker",
        summary: "The Docker CLI and engine, for Docker-in-Docker.",
        tags: &["27", "27-cli", "27-dind", "dind", "cli"],
    },
    ImageDoc {
        name: "registry",
        summary: "The Distribution container registry.",
        tags: &["2", "2.8", "3"],
    },
    ImageDoc {
        name: "vault",
        summary: "Deprecated HashiCorp Vault image; use `hashicorp/vault`.",
        tags: &["1.13.3"],
    },
    ImageDoc {
        name: "sonarqube",
        summary: "The SonarQube code quality server.",
        tags: &["community", "lts-community"],
    },
    ImageDoc {
        name: "fedora",
        summary: "The Fedora Linux distribution.",
        tags: &["41", "40", "latest"],
    },
    ImageDoc {
        name: "rockylinux",
        summary: "Rocky Linux, a RHEL-compatible distribution.",
        tags: &["9", "9-minimal", "8"],
    },
    ImageDoc { name: "amazonlinux", summary: "Amazon Linux.", tags: &["2023", "2"] },
    ImageDoc {
        name: "pypy",
        summary: "PyPy, a fast Python implementation with a JIT.",
        tags: &["3.10", "3.10-slim", "3.9", "3.9-slim"],
    },
    ImageDoc { name: "couchdb", summary: "The Apache CouchDB database.", tags: &["3", "3.4"] },
    ImageDoc { name: "cassandra", summary: "The Apache Cassandra database.", tags: &["5", "4.1"] },
    ImageDoc {
        name: "zookeeper",
        summary: "Apache ZooKeeper coordination service.",
        tags: &["3.9", "3.8"],
    },
    ImageDoc { name: "nats", summary: "The NATS messaging server.", tags: &["2", "2-alpine"] },
    ImageDoc {
        name: "adminer",
        summary: "Adminer, a web UI for databases.",
        tags: &["4", "latest", "standalone"],
    },
    ImageDoc {
        name: "scratch",
        summary: "Not an image: an empty starting point for images that contain only what you copy in.",
        tags: &[],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_consistent() {
        assert_eq!(INSTRUCTIONS.len(), 18);
        for i in INSTRUCTIONS {
            assert!(instruction(&i.name.to_lowercase()).is_some());
            let mut names: Vec<_> = i.flags.iter().map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), i.flags.len(), "duplicate flag in {}", i.name);
        }
        for t in MOUNT_TYPES {
            assert_eq!(t.keys[0].name, "type");
        }
        assert!(mount_key("cache", "dst").is_some_and(|k| k.name == "target"));
        assert!(mount_key("tmpfs", "from").is_none());
        assert!(flag("add", "keep-git-dir").is_some());
        assert!(flag("copy", "keep-git-dir").is_none());
        assert_eq!(signal("term").map(|s| s.number), Some(15));
        assert!(official_image("docker.io/library/python").unwrap().tags.contains(&"3.12-slim"));
        assert!(IMAGES.len() >= 40);
    }
}
