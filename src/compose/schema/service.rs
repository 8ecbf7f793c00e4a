//! The keys of a service and of the long forms of its entries.

use super::*;

pub(crate) const SERVICE: KeySpec = key(
    "*",
    Ty::OneOf(&[Ty::Object(SERVICE_KEYS), Ty::Null]),
    "A service: the image (or build) its containers run and how they are configured.",
);

pub(crate) const RESTART_VALUES: &[EnumValue] = &[
    val("no", "Never restart the container (the default)."),
    val("always", "Restart whenever the container stops, until it is removed."),
    val(
        "on-failure",
        "Restart only after a non-zero exit; `on-failure:3` caps the number of retries.",
    ),
    val("unless-stopped", "Like `always`, except after the container was stopped by hand."),
];

pub(crate) const PULL_POLICY_VALUES: &[EnumValue] = &[
    val("always", "Pull the image from the registry every time."),
    val("never", "Never pull; fail when the image is not already present."),
    val("missing", "Pull only when the image is not present (the default without `build`)."),
    val("build", "Always build the image, even when one is present."),
    val("daily", "Check the registry when the last pull is more than a day old."),
    val("weekly", "Check the registry when the last pull is more than a week old."),
    val("refresh", "Check the registry for a newer image, like `always`."),
    val("if_not_present", "Old spelling of `missing`, still accepted."),
];

const SIGNALS: &[EnumValue] = &[
    val("SIGTERM", "Polite request to terminate (the default)."),
    val("SIGINT", "Interrupt, as from Ctrl-C; what many Python servers handle for a clean exit."),
    val("SIGQUIT", "Quit; gunicorn and nginx use it for a graceful shutdown."),
    val("SIGKILL", "Kill immediately; cannot be caught."),
    val("SIGHUP", "Hang up; many servers reload their configuration on it."),
    val("SIGUSR1", "User-defined signal 1."),
    val("SIGUSR2", "User-defined signal 2."),
];

const CAPABILITIES: &[EnumValue] = &[
    val("ALL", "Every capability."),
    val("NET_ADMIN", "Configure network interfaces, routes and firewalls."),
    val("NET_BIND_SERVICE", "Bind to ports below 1024."),
    val("NET_RAW", "Use raw and packet sockets (ping)."),
    val("SYS_ADMIN", "A broad set of administration operations (mounts and more)."),
    val("SYS_PTRACE", "Trace and inspect other processes (debuggers, profilers)."),
    val("SYS_TIME", "Set the system clock."),
    val("CHOWN", "Change file owners."),
    val("DAC_OVERRIDE", "Bypass file permission checks."),
    val("SETUID", "Change the process user id."),
    val("SETGID", "Change the process group id."),
    val("KILL", "Send signals to any process."),
    val("IPC_LOCK", "Lock memory."),
];

const NS_MODES: &[EnumValue] = &[
    val("host", "Share the host's namespace."),
    val("private", "A namespace of the container's own."),
    val("shareable", "A namespace of its own that other containers may join."),
    val("none", "A namespace of its own with nothing in it."),
];

const PLATFORMS: &[EnumValue] = &[
    val("linux/amd64", "64-bit x86 Linux."),
    val("linux/arm64", "64-bit ARM Linux (Apple silicon, Graviton)."),
    val("linux/arm/v7", "32-bit ARM Linux."),
    val("windows/amd64", "64-bit x86 Windows."),
];

pub(crate) const PLATFORM: Ty = Ty::Suggest(PLATFORMS);

const PORT_ITEM: KeySpec = key(
    "[]",
    Ty::OneOf(&[Ty::Format(Format::Port), INT, Ty::Object(PORT_KEYS)]),
    "A published port: `HOST:CONTAINER` text, or a mapping with named fields.",
);

const PORT_KEYS: &[KeySpec] = &[
    key("name", STR, "A readable name for the port, for documentation and tools."),
    key("target", INT, "The port inside the container. Required."),
    key(
        "published",
        Ty::OneOf(&[STR, INT]),
        "The port on the host, or a range such as `8000-8010`. Left out, the engine picks a \
         free port.",
    ),
    key(
        "host_ip",
        STR,
        "The host address to listen on; all interfaces when not set. `127.0.0.1` keeps the \
         port private to the machine.",
    ),
    key(
        "protocol",
        Ty::Enum(&[val("tcp", "TCP (the default)."), val("udp", "UDP."), val("sctp", "SCTP.")]),
        "The transport protocol.",
    ),
    key(
        "app_protocol",
        STR,
        "The application protocol spoken on the port (`http`, `grpc`, …), as a hint for \
         tools.",
    ),
    key(
        "mode",
        Ty::Enum(&[
            val("ingress", "Load-balanced across the cluster (Swarm)."),
            val("host", "Published only on the host running the container."),
        ]),
        "How the port is published on a cluster.",
    ),
];

const VOLUME_MOUNT_ITEM: KeySpec = key(
    "[]",
    Ty::OneOf(&[Ty::Format(Format::Volume), Ty::Object(VOLUME_MOUNT_KEYS)]),
    "A mount: `SOURCE:TARGET[:MODE]` text, or a mapping with named fields.",
);

const VOLUME_MOUNT_KEYS: &[KeySpec] = &[
    key(
        "type",
        Ty::Enum(&[
            val("volume", "A named or anonymous volume."),
            val("bind", "A file or directory of the host."),
            val("tmpfs", "A temporary file system in memory."),
            val("npipe", "A Windows named pipe."),
            val("cluster", "A cluster volume (Swarm)."),
            val("image", "The content of an image, read-only."),
        ]),
        "The kind of mount. Required.",
    ),
    key(
        "source",
        STR,
        "What to mount: a host path for `bind`, a volume name for `volume`, an image for \
         `image`. Left out for anonymous volumes.",
    )
    .refers(NameKind::Volume),
    key("target", STR, "The path inside the container where the mount appears. Required."),
    key("read_only", BOOL, "Mount read-only."),
    key(
        "consistency",
        STR,
        "A hint about how strictly host and container views stay in sync (platform specific).",
    ),
    key("bind", Ty::Object(BIND_OPTS), "Options for `bind` mounts."),
    key("volume", Ty::Object(VOLUME_OPTS), "Options for `volume` mounts."),
    key("tmpfs", Ty::Object(TMPFS_OPTS), "Options for `tmpfs` mounts."),
    key(
        "image",
        Ty::Object(&[key("subpath", STR, "Mount only this directory of the image.")]),
        "Options for `image` mounts.",
    ),
];

const BIND_OPTS: &[KeySpec] = &[
    key(
        "propagation",
        Ty::Enum(&[
            val("private", "No propagation (the default)."),
            val("rprivate", "No propagation, recursively."),
            val("shared", "Mounts propagate both ways."),
            val("rshared", "Mounts propagate both ways, recursively."),
            val("slave", "Host mounts propagate into the container."),
            val("rslave", "Host mounts propagate into the container, recursively."),
        ]),
        "How mounts made below the bind mount propagate between host and container.",
    ),
    key(
        "create_host_path",
        BOOL,
        "Create the host directory when it does not exist (on by default).",
    ),
    key(
        "selinux",
        Ty::Enum(&[
            val("z", "Relabel the content as shared between containers."),
            val("Z", "Relabel the content as private to this container."),
        ]),
        "SELinux relabelling of the mounted content.",
    ),
    key(
        "recursive",
        Ty::Enum(&[
            val("enabled", "Mount submounts too, read-only when the mount is."),
            val("disabled", "Do not mount submounts."),
            val("writable", "Mount submounts, writable."),
            val("readonly", "Mount submounts, forced read-only."),
        ]),
        "What happens to mounts nested below the source path.",
    ),
];

const VOLUME_OPTS: &[KeySpec] = &[
    key("nocopy", BOOL, "Do not copy the image's files at the target into a new, empty volume."),
    key("subpath", STR, "Mount only this directory of the volume."),
];

const TMPFS_OPTS: &[KeySpec] = &[
    key("size", BYTES, "The maximum size of the temporary file system."),
    key("mode", INT, "The file mode of the mount point, such as `1777` (octal)."),
];

const DEPENDS_ON_ENTRY: KeySpec = key(
    "*",
    Ty::OneOf(&[Ty::Object(DEPENDS_ON_KEYS), Ty::Null]),
    "A service this one depends on, with the condition to wait for.",
)
.refers(NameKind::Service);

const DEPENDS_ON_KEYS: &[KeySpec] = &[
    key(
        "condition",
        Ty::Enum(&[
            val("service_started", "Wait until the dependency has started (the default)."),
            val(
                "service_healthy",
                "Wait until the dependency's healthcheck passes; it needs a `healthcheck`.",
            ),
            val(
                "service_completed_successfully",
                "Wait until the dependency has run to completion with exit code 0 (migrations, \
                 set-up jobs).",
            ),
        ]),
        "When the dependency counts as ready.",
    ),
    key("restart", BOOL, "Restart this service when Compose restarts or updates the dependency."),
    key(
        "required",
        BOOL,
        "When `false`, Compose only warns if the dependency is missing or not started \
         (default `true`).",
    ),
];

const SERVICE_NETWORK_ENTRY: KeySpec = key(
    "*",
    Ty::OneOf(&[Ty::Object(SERVICE_NETWORK_KEYS), Ty::Null]),
    "A network the service joins, with per-network settings.",
)
.refers(NameKind::Network);

const SERVICE_NETWORK_KEYS: &[KeySpec] = &[
    key(
        "aliases",
        STR_LIST,
        "Extra host names by which other containers on this network reach the service.",
    ),
    key("ipv4_address", STR, "A fixed IPv4 address on this network."),
    key("ipv6_address", STR, "A fixed IPv6 address on this network."),
    key("link_local_ips", STR_LIST, "Link-local addresses for the container."),
    key("mac_address", STR, "The MAC address of the container on this network."),
    key("driver_opts", STR_MAP, "Driver options for this connection."),
    key(
        "priority",
        INT,
        "The order in which the container connects to its networks; higher connects first.",
    ),
    key("gw_priority", INT, "Which network provides the default gateway; the highest value wins."),
    key("interface_name", STR, "The name of the network interface inside the container."),
];

const FILE_REF_KEYS: &[KeySpec] = &[
    key("source", STR, "The name of the declared secret or config. Required."),
    key(
        "target",
        STR,
        "The path (or, for secrets, the file name under `/run/secrets/`) where it appears in \
         the container.",
    ),
    key("uid", STR, "The owner user id of the mounted file."),
    key("gid", STR, "The owner group id of the mounted file."),
    key("mode", INT, "The permissions of the mounted file, such as `0440`."),
];

const SECRET_REF_KEYS: &[KeySpec] = &[
    key("source", STR, "The name of the top-level secret. Required.").refers(NameKind::Secret),
    FILE_REF_KEYS[1],
    FILE_REF_KEYS[2],
    FILE_REF_KEYS[3],
    FILE_REF_KEYS[4],
];

const CONFIG_REF_KEYS: &[KeySpec] = &[
    key("source", STR, "The name of the top-level config. Required.").refers(NameKind::Config),
    FILE_REF_KEYS[1],
    FILE_REF_KEYS[2],
    FILE_REF_KEYS[3],
    FILE_REF_KEYS[4],
];

pub(crate) const SECRET_REF_ITEM: KeySpec = key(
    "[]",
    Ty::OneOf(&[STR, Ty::Object(SECRET_REF_KEYS)]),
    "A secret granted to the service: its name, or a mapping that also sets where and how \
     it is mounted.",
)
.refers(NameKind::Secret);

const CONFIG_REF_ITEM: KeySpec = key(
    "[]",
    Ty::OneOf(&[STR, Ty::Object(CONFIG_REF_KEYS)]),
    "A config granted to the service: its name, or a mapping that also sets where and how \
     it is mounted.",
)
.refers(NameKind::Config);

const ENV_FILE_ITEM: KeySpec = key(
    "[]",
    Ty::OneOf(&[STR, Ty::Object(ENV_FILE_KEYS)]),
    "An environment file: its path, or a mapping with the path and options.",
);

const ENV_FILE_KEYS: &[KeySpec] = &[
    key("path", STR, "The file, relative to the Compose file. Required."),
    key("required", BOOL, "When `false`, a missing file is skipped silently (default `true`)."),
    key(
        "format",
        Ty::Suggest(&[val("raw", "Take values literally: no quotes, no interpolation.")]),
        "How the file is parsed; the default follows `.env` conventions.",
    ),
];

pub(crate) const ULIMIT_ENTRY: KeySpec = key(
    "*",
    Ty::OneOf(&[INT, Ty::Object(ULIMIT_KEYS)]),
    "A limit by name (`nofile`, `nproc`, …): one number for both soft and hard limits, or \
     both given apart.",
);

const ULIMIT_KEYS: &[KeySpec] = &[
    key("soft", INT, "The limit the process gets, which it may raise up to `hard`."),
    key("hard", INT, "The ceiling for the soft limit."),
];

const HEALTHCHECK_KEYS: &[KeySpec] = &[
    key(
        "test",
        STR_OR_LIST,
        "The check to run. A list starts with `CMD` (run directly), `CMD-SHELL` (run through \
         the shell) or `NONE`; a plain string runs through the shell.",
    ),
    key("interval", DURATION, "Time between checks (default 30s)."),
    key(
        "timeout",
        DURATION,
        "How long one check may take before it counts as failed (default 30s).",
    ),
    key(
        "retries",
        INT,
        "Consecutive failures before the container counts as unhealthy (default 3).",
    ),
    key("start_period", DURATION, "Grace time after start during which failures do not count."),
    key("start_interval", DURATION, "Time between checks during the start period."),
    key("disable", BOOL, "Turn off the image's healthcheck; same as `test: [\"NONE\"]`."),
];

const LOGGING_DRIVERS: &[EnumValue] = &[
    val("json-file", "JSON lines on the host (the usual default)."),
    val("local", "A compact, rotated file format on the host."),
    val("journald", "The systemd journal."),
    val("syslog", "A syslog server."),
    val("fluentd", "A Fluentd collector."),
    val("gelf", "A Graylog (GELF) endpoint."),
    val("awslogs", "Amazon CloudWatch Logs."),
    val("gcplogs", "Google Cloud Logging."),
    val("none", "Discard the output."),
];

const LOGGING_KEYS: &[KeySpec] = &[
    key("driver", Ty::Suggest(LOGGING_DRIVERS), "Where container output goes."),
    key(
        "options",
        STR_MAP,
        "Options of the logging driver, such as `max-size` and `max-file` for `json-file`.",
    ),
];

const BLKIO_DEVICE_WEIGHT: KeySpec = key(
    "[]",
    Ty::Object(&[
        key("path", STR, "The block device."),
        key("weight", INT, "The relative weight for this device, 10 to 1000."),
    ]),
    "A weight for one device.",
);

const BLKIO_DEVICE_RATE: KeySpec = key(
    "[]",
    Ty::Object(&[
        key("path", STR, "The block device."),
        key("rate", Ty::OneOf(&[INT, STR]), "The limit: bytes (or operations) per second."),
    ]),
    "A rate limit for one device.",
);

const BLKIO_KEYS: &[KeySpec] = &[
    key("weight", INT, "The relative share of block I/O, 10 to 1000."),
    key("weight_device", Ty::List(&BLKIO_DEVICE_WEIGHT), "Per-device weights."),
    key(
        "device_read_bps",
        Ty::List(&BLKIO_DEVICE_RATE),
        "Per-device read limits in bytes per second.",
    ),
    key(
        "device_write_bps",
        Ty::List(&BLKIO_DEVICE_RATE),
        "Per-device write limits in bytes per second.",
    ),
    key(
        "device_read_iops",
        Ty::List(&BLKIO_DEVICE_RATE),
        "Per-device read limits in operations per second.",
    ),
    key(
        "device_write_iops",
        Ty::List(&BLKIO_DEVICE_RATE),
        "Per-device write limits in operations per second.",
    ),
];

const EXTENDS_KEYS: &[KeySpec] = &[
    key("service", STR, "The service to copy. Required.").refers(NameKind::Service),
    key("file", STR, "The Compose file that defines it; this file when left out."),
];

const CREDENTIAL_SPEC_KEYS: &[KeySpec] = &[
    key("file", STR, "A credential spec file."),
    key("registry", STR, "A credential spec read from the Windows registry."),
    key("config", STR, "A credential spec taken from a Compose config."),
];

const DEVICE_ITEM: KeySpec = key(
    "[]",
    Ty::OneOf(&[Ty::Format(Format::Device), Ty::Object(DEVICE_KEYS)]),
    "A device: `HOST[:CONTAINER[:PERMISSIONS]]` text, or a mapping.",
);

const DEVICE_KEYS: &[KeySpec] = &[
    key("source", STR, "The device path on the host. Required."),
    key("target", STR, "The device path in the container; the same as `source` when left out."),
    key("permissions", STR, "Any of `r` (read), `w` (write) and `m` (mknod)."),
];

pub(crate) const GPU_ITEM: KeySpec = key(
    "[]",
    Ty::Object(super::deploy::DEVICE_REQUEST_KEYS),
    "A request for GPUs matching these properties.",
);

const HOOK_ITEM: KeySpec = key("[]", Ty::Object(HOOK_KEYS), "A command run in the container.");

pub(crate) const HOOK_KEYS: &[KeySpec] = &[
    key("command", STR_OR_LIST, "The command to run. Required."),
    key("user", STR, "The user to run it as."),
    key("privileged", BOOL, "Run it with extended privileges."),
    key("working_dir", STR, "The directory to run it in."),
    key("environment", MAP_OR_LIST, "Extra environment variables for the command."),
];

const PROVIDER_KEYS: &[KeySpec] = &[
    key(
        "type",
        STR,
        "The provider: a Compose plugin or binary that manages the service. Required.",
    ),
    key(
        "options",
        Ty::Map(&key("*", Ty::OneOf(&[STR, Ty::Number, BOOL, STR_LIST]), "One provider option.")),
        "Options passed to the provider.",
    ),
];

const MODEL_REF_ENTRY: KeySpec = key(
    "*",
    Ty::OneOf(&[Ty::Object(MODEL_REF_KEYS), Ty::Null]),
    "A model the service may use, with the variable names that carry its details.",
)
.refers(NameKind::Model);

const MODEL_REF_KEYS: &[KeySpec] = &[
    key("endpoint_var", STR, "The environment variable that receives the model's URL."),
    key("model_var", STR, "The environment variable that receives the model's name."),
];

const SERVICE_KEYS: &[KeySpec] = &[
    key("annotations", MAP_OR_LIST, "Annotations (OCI metadata) set on the containers."),
    key(
        "attach",
        BOOL,
        "When `false`, `docker compose up` does not show this service's logs (default `true`).",
    ),
    key("blkio_config", Ty::Object(BLKIO_KEYS), "Limits and weights for block device I/O."),
    key(
        "build",
        Ty::OneOf(&[STR, Ty::Object(super::build::BUILD_KEYS)]),
        "How to build the service's image from source: a context path, or a mapping with the \
         context, Dockerfile, arguments and more. With `image` as well, the built image gets \
         that name.",
    ),
    key(
        "cap_add",
        Ty::List(&key("[]", Ty::Suggest(CAPABILITIES), "A Linux capability.")),
        "Linux capabilities to grant the container on top of the default set.",
    ),
    key(
        "cap_drop",
        Ty::List(&key("[]", Ty::Suggest(CAPABILITIES), "A Linux capability.")),
        "Linux capabilities to remove from the default set; `ALL` drops them all.",
    ),
    key(
        "cgroup",
        Ty::Enum(&[
            val("host", "Use the host's cgroup namespace."),
            val("private", "Use a cgroup namespace of the container's own."),
        ]),
        "The cgroup namespace the container joins.",
    ),
    key("cgroup_parent", STR, "The parent cgroup of the container."),
    key(
        "command",
        Ty::OneOf(&[STR, STR_LIST, Ty::Null]),
        "Overrides the image's `CMD`. A list runs as is (exec form); a string is split like a \
         shell would, but no shell runs it. An empty list clears the image's command.",
    ),
    key(
        "configs",
        Ty::List(&CONFIG_REF_ITEM),
        "Configs from the top-level `configs` section to mount in the containers.",
    ),
    key(
        "container_name",
        STR,
        "A fixed container name instead of the generated one. The service then cannot scale \
         beyond one container.",
    ),
    key("cpu_count", INT, "The number of CPUs the container may use (Windows)."),
    key("cpu_percent", INT, "The share of the CPUs the container may use, in percent (Windows)."),
    key("cpu_shares", INT, "The relative CPU weight against other containers (default 1024)."),
    key("cpu_period", INT, "The CFS scheduler period in microseconds."),
    key("cpu_quota", INT, "The CFS scheduler quota in microseconds per period."),
    key("cpu_rt_runtime", Ty::OneOf(&[INT, DURATION]), "Real-time scheduler runtime per period."),
    key("cpu_rt_period", Ty::OneOf(&[INT, DURATION]), "Real-time scheduler period."),
    key(
        "cpus",
        Ty::Format(Format::Cpus),
        "How many CPUs the container may use, as a decimal such as `0.5` or `2`.",
    ),
    key("cpuset", STR, "The CPUs the container may run on, such as `0-3` or `0,1`."),
    key(
        "credential_spec",
        Ty::Object(CREDENTIAL_SPEC_KEYS),
        "Windows managed-service-account credentials.",
    ),
    key(
        "depends_on",
        Ty::OneOf(&[Ty::List(&SERVICE_NAME_ITEM), Ty::Map(&DEPENDS_ON_ENTRY)]),
        "Services to start before this one (and stop after it). The short form lists names; \
         the long form says what to wait for, such as a passing healthcheck. It orders \
         start-up only: it does not make the dependency's environment visible here.",
    ),
    key(
        "deploy",
        Ty::Object(super::deploy::DEPLOY_KEYS),
        "Deployment settings: replicas, resource limits and reservations, restart and update \
         policies.",
    ),
    key(
        "develop",
        Ty::Object(super::deploy::DEVELOP_KEYS),
        "Settings for `docker compose watch`: which files to sync or rebuild on while you \
         work.",
    ),
    key("device_cgroup_rules", STR_LIST, "Rules for the device cgroup, such as `c 1:3 mr`."),
    key("devices", Ty::List(&DEVICE_ITEM), "Host devices to make available in the container."),
    key("dns", STR_OR_LIST, "DNS servers for the container."),
    key("dns_opt", STR_LIST, "Options for the container's DNS resolver."),
    key("dns_search", STR_OR_LIST, "DNS search domains for the container."),
    key("domainname", STR, "The container's domain name."),
    key(
        "entrypoint",
        Ty::OneOf(&[STR, STR_LIST, Ty::Null]),
        "Overrides the image's `ENTRYPOINT`; setting it also clears the image's `CMD`. An \
         empty value clears the entrypoint.",
    ),
    key(
        "env_file",
        Ty::OneOf(&[STR, Ty::List(&ENV_FILE_ITEM)]),
        "Files of `KEY=VALUE` lines whose variables are set in the container. Later files win; \
         `environment` wins over all of them. Unrelated to the `.env` file that feeds \
         interpolation.",
    ),
    key(
        "environment",
        MAP_OR_LIST,
        "Environment variables set in the container, as a mapping or a list of `KEY=VALUE`. \
         A name without a value passes the variable through from the shell running Compose.",
    ),
    key(
        "expose",
        Ty::List(&key("[]", Ty::OneOf(&[STR, INT]), "A port or range, optionally `/protocol`.")),
        "Ports the container listens on, visible to other services but not published on the \
         host. Informational with the default network.",
    ),
    key(
        "extends",
        Ty::OneOf(&[STR, Ty::Object(EXTENDS_KEYS)]),
        "Start from another service's configuration (in this file or another) and override \
         parts of it here.",
    )
    .refers(NameKind::Service),
    key(
        "external_links",
        STR_LIST,
        "Links to containers started outside this project, as `CONTAINER[:ALIAS]`.",
    )
    .deprecated("A legacy feature; put the containers on a shared network instead."),
    key(
        "extra_hosts",
        Ty::OneOf(&[
            Ty::List(&key("[]", Ty::Format(Format::ExtraHost), "A `HOST=IP` entry.")),
            Ty::Map(&key("*", Ty::OneOf(&[STR, STR_LIST]), "The address(es) of this host name.")),
        ]),
        "Extra entries for the container's `/etc/hosts`. `host-gateway` as the address means \
         the host machine.",
    ),
    key(
        "gpus",
        Ty::OneOf(&[Ty::Enum(&[val("all", "Every GPU of the host.")]), Ty::List(&GPU_ITEM)]),
        "GPUs to give the container: `all`, or requests by count, id and capability.",
    ),
    key(
        "group_add",
        Ty::List(&key("[]", Ty::OneOf(&[STR, INT]), "A group name or id.")),
        "Extra groups, by name or id, for the container's user.",
    ),
    key(
        "healthcheck",
        Ty::Object(HEALTHCHECK_KEYS),
        "How to tell whether the container is healthy; overrides the image's `HEALTHCHECK`.",
    ),
    key("hostname", STR, "The container's host name."),
    key(
        "image",
        STR,
        "The image to run, such as `python:3.12-slim` or `registry.example.com/app:1.4`. With \
         `build`, the name given to the built image.",
    )
    .refers(NameKind::Image),
    key(
        "init",
        BOOL,
        "Run a small init process as PID 1 that forwards signals and reaps zombie processes.",
    ),
    key(
        "ipc",
        Ty::Suggest(NS_MODES),
        "The IPC namespace: `shareable`, `host`, or `service:NAME` / `container:NAME` to join \
         another's.",
    ),
    key(
        "isolation",
        Ty::Suggest(&[
            val("default", "The platform's default."),
            val("process", "Process isolation (Windows)."),
            val("hyperv", "Hyper-V isolation (Windows)."),
        ]),
        "The container isolation technology (meaningful on Windows).",
    ),
    key("labels", MAP_OR_LIST, "Metadata labels set on the containers."),
    key("label_file", STR_OR_LIST, "Files of `KEY=VALUE` lines read as labels."),
    key(
        "links",
        Ty::List(&SERVICE_NAME_ITEM),
        "Services reachable under extra names, as `SERVICE[:ALIAS]`; also implies a start-up \
         order.",
    )
    .deprecated("A legacy feature: services on a shared network already reach each other by name."),
    key("logging", Ty::Object(LOGGING_KEYS), "Where the container's output goes."),
    key("mac_address", STR, "The container's MAC address."),
    key("mem_limit", BYTES, "The most memory the container may use."),
    key(
        "mem_reservation",
        BYTES,
        "A soft memory limit the container is held to when memory is short.",
    ),
    key("mem_swappiness", INT, "How readily the kernel swaps the container's memory, 0 to 100."),
    key(
        "memswap_limit",
        // `-1` (unlimited) is no byte size, so a plain integer is accepted too.
        Ty::OneOf(&[BYTES, INT]),
        "Memory plus swap the container may use; `-1` means unlimited swap.",
    ),
    key(
        "models",
        Ty::OneOf(&[
            Ty::List(&key("[]", STR, "A model name.").refers(NameKind::Model)),
            Ty::Map(&MODEL_REF_ENTRY),
        ]),
        "Models from the top-level `models` section the service may use; their URL and name \
         reach the container as environment variables.",
    ),
    key(
        "network_mode",
        Ty::Suggest(&[
            val("bridge", "The engine's default bridge network."),
            val("host", "The host's network stack."),
            val("none", "No networking."),
        ]),
        "A special networking mode: `host`, `none`, or `service:NAME` / `container:NAME` to \
         share another's network stack. Cannot be combined with `networks`.",
    ),
    key(
        "networks",
        Ty::OneOf(&[
            Ty::List(&key("[]", STR, "A network name.").refers(NameKind::Network)),
            Ty::Map(&SERVICE_NETWORK_ENTRY),
        ]),
        "Networks from the top-level `networks` section that the service joins; the project's \
         `default` network when not set.",
    ),
    key(
        "oom_kill_disable",
        BOOL,
        "Keep the kernel from killing the container when memory runs out.",
    ),
    key(
        "oom_score_adj",
        INT,
        "How likely the kernel is to pick this container when memory runs out, -1000 to 1000.",
    ),
    key(
        "pid",
        Ty::Suggest(&[val("host", "Share the host's process namespace.")]),
        "The PID namespace: `host`, or `service:NAME` / `container:NAME` to join another's.",
    ),
    key("pids_limit", INT, "The most processes the container may run; `-1` for no limit."),
    key(
        "platform",
        PLATFORM,
        "The platform the image is pulled or built for, `os/arch[/variant]`.",
    ),
    key(
        "ports",
        Ty::List(&PORT_ITEM),
        "Container ports to publish on the host, such as `\"8000:8000\"`. Quote the short \
         form: it is text, not a number.",
    ),
    key("post_start", Ty::List(&HOOK_ITEM), "Commands run in the container right after it starts."),
    key(
        "pre_stop",
        Ty::List(&HOOK_ITEM),
        "Commands run in the container just before it is stopped.",
    ),
    key(
        "privileged",
        BOOL,
        "Give the container nearly all the powers of the host. Avoid it when you can.",
    ),
    key(
        "profiles",
        STR_LIST,
        "The profiles this service belongs to. It starts only when one of them is active \
         (`--profile` or `COMPOSE_PROFILES`); a service without profiles always starts.",
    ),
    key(
        "provider",
        Ty::Object(PROVIDER_KEYS),
        "Let a provider plugin manage this service instead of running a container.",
    ),
    key(
        "pull_policy",
        Ty::Format(Format::PullPolicy),
        "When to pull the image: `always`, `never`, `missing`, `build`, `daily`, `weekly`, or \
         `every_<duration>`.",
    ),
    key("read_only", BOOL, "Make the container's root file system read-only."),
    key(
        "restart",
        Ty::Format(Format::Restart),
        "What happens when the container exits: `no`, `always`, `on-failure[:N]` or \
         `unless-stopped`.",
    ),
    key("runtime", STR, "The OCI runtime that runs the container, such as `runc` or `nvidia`."),
    key(
        "scale",
        INT,
        "How many containers to run for the service; `deploy.replicas` says the same.",
    ),
    key(
        "secrets",
        Ty::List(&SECRET_REF_ITEM),
        "Secrets from the top-level `secrets` section to mount in the containers under \
         `/run/secrets/`.",
    ),
    key(
        "security_opt",
        STR_LIST,
        "Security options such as `no-new-privileges:true` or a seccomp profile.",
    ),
    key("shm_size", BYTES, "The size of `/dev/shm` (default 64m)."),
    key("stdin_open", BOOL, "Keep standard input open, like `docker run -i`."),
    key(
        "stop_grace_period",
        DURATION,
        "How long to wait after the stop signal before killing the container (default 10s).",
    ),
    key(
        "stop_signal",
        Ty::Suggest(SIGNALS),
        "The signal sent to stop the container; overrides the image's `STOPSIGNAL`.",
    ),
    key("storage_opt", STR_MAP, "Storage driver options, such as `size`."),
    key(
        "sysctls",
        MAP_OR_LIST,
        "Kernel parameters set in the container, such as `net.core.somaxconn`.",
    ),
    key("tmpfs", STR_OR_LIST, "Temporary in-memory file systems to mount, as `PATH[:OPTIONS]`."),
    key("tty", BOOL, "Give the container a terminal, like `docker run -t`."),
    key(
        "ulimits",
        Ty::Map(&ULIMIT_ENTRY),
        "Resource limits of the container's processes, such as open files (`nofile`).",
    ),
    key(
        "use_api_socket",
        BOOL,
        "Give the container access to the container engine's API socket (with the user's \
         registry credentials).",
    ),
    key(
        "user",
        STR,
        "The user (and group) the container runs as, `NAME|UID[:GROUP|GID]`; overrides the \
         image's `USER`. Quote numeric ids.",
    ),
    key(
        "userns_mode",
        STR,
        "The user namespace; `host` turns off user-namespace remapping for the service.",
    ),
    key(
        "uts",
        Ty::Suggest(&[val("host", "Share the host's host name and domain.")]),
        "The UTS namespace.",
    ),
    key(
        "volumes",
        Ty::List(&VOLUME_MOUNT_ITEM),
        "Host paths or named volumes to mount. Short form `SOURCE:TARGET[:MODE]`; a source \
         starting with `.` or `/` is a host path, otherwise a volume from the top-level \
         `volumes` section.",
    ),
    key(
        "volumes_from",
        Ty::List(&SERVICE_NAME_ITEM),
        "Mount every volume of another service (`SERVICE`) or container \
         (`container:NAME`), optionally with `:ro` or `:rw`.",
    ),
    key("working_dir", STR, "The directory the command runs in; overrides the image's `WORKDIR`."),
];

const SERVICE_NAME_ITEM: KeySpec = key("[]", STR, "A service name.").refers(NameKind::Service);
