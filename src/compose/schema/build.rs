//! The long form of `build`.

use super::*;

const ARG_ENTRY: KeySpec = key(
    "*",
    Ty::OneOf(&[STR, Ty::Number, BOOL, Ty::Null]),
    "A build argument; an empty value takes it from the environment of the machine running \
     Compose.",
)
.refers(NameKind::BuildArg);

const ARG_ITEM: KeySpec = key("[]", Ty::Format(Format::KeyValue), "A `NAME=VALUE` build argument.")
    .refers(NameKind::BuildArg);

const SECRET_ITEM: KeySpec = super::service::SECRET_REF_ITEM;

pub(crate) const BUILD_KEYS: &[KeySpec] = &[
    key(
        "context",
        STR,
        "The directory (or Git URL) sent to the builder, relative to the Compose file. \
         Defaults to `.`.",
    ),
    key(
        "dockerfile",
        STR,
        "The Dockerfile to use, relative to the context (default `Dockerfile`).",
    ),
    key(
        "dockerfile_inline",
        STR,
        "The Dockerfile written inline, usually as a `|` block. Cannot be combined with \
         `dockerfile`.",
    ),
    key(
        "args",
        Ty::OneOf(&[Ty::Map(&ARG_ENTRY), Ty::List(&ARG_ITEM)]),
        "Values for the Dockerfile's `ARG` instructions. Arguments not declared in the \
         Dockerfile are ignored by the build.",
    ),
    key(
        "ssh",
        Ty::OneOf(&[STR_LIST, STR_MAP]),
        "SSH agent sockets or keys the build may use (`RUN --mount=type=ssh`), such as \
         `default`.",
    ),
    key(
        "cache_from",
        STR_LIST,
        "Where the builder may find cached layers: images or cache locations such as \
         `type=registry,ref=…`.",
    ),
    key("cache_to", STR_LIST, "Where the builder exports its cache for later builds."),
    key(
        "additional_contexts",
        MAP_OR_LIST,
        "Extra named build contexts (`name: path, URL, or docker-image://…`), usable with \
         `COPY --from=name`.",
    ),
    key(
        "entitlements",
        STR_LIST,
        "Extra privileges the build may use, such as `network.host` or `security.insecure`.",
    ),
    key("extra_hosts", MAP_OR_LIST, "Extra `/etc/hosts` entries during the build."),
    key("isolation", STR, "The isolation technology of the build containers (Windows)."),
    key("labels", MAP_OR_LIST, "Metadata labels set on the built image."),
    key(
        "network",
        Ty::Suggest(&[
            val("default", "The builder's default network."),
            val("host", "The host's network stack."),
            val("none", "No network access during the build."),
        ]),
        "The network `RUN` instructions use during the build.",
    ),
    key("no_cache", BOOL, "Build without using cached layers."),
    key(
        "platforms",
        Ty::List(&key("[]", super::service::PLATFORM, "A target platform.")),
        "Platforms to build the image for; must include the service's `platform`.",
    ),
    key("privileged", BOOL, "Run the build with extended privileges."),
    key("pull", BOOL, "Always pull newer versions of the base images."),
    key(
        "secrets",
        Ty::List(&SECRET_ITEM),
        "Secrets from the top-level `secrets` section the build may read \
         (`RUN --mount=type=secret`).",
    ),
    key("shm_size", BYTES, "The size of `/dev/shm` for build containers."),
    key("tags", STR_LIST, "Extra tags for the built image, besides `image`."),
    key("target", STR, "The stage of a multi-stage Dockerfile to build, by its `AS` name.")
        .refers(NameKind::Stage),
    key(
        "ulimits",
        Ty::Map(&super::service::ULIMIT_ENTRY),
        "Resource limits for the build containers.",
    ),
    key(
        "provenance",
        Ty::OneOf(&[BOOL, STR]),
        "Whether (and how) to attach a provenance attestation.",
    ),
    key(
        "sbom",
        Ty::OneOf(&[BOOL, STR]),
        "Whether (and how) to attach a software bill of materials.",
    ),
];
