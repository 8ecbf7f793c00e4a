//! `deploy` and `develop`.

use super::*;

pub(crate) const DEVICE_REQUEST_KEYS: &[KeySpec] = &[
    key(
        "capabilities",
        Ty::List(&key(
            "[]",
            Ty::Suggest(&[
                val("gpu", "A GPU."),
                val("compute", "Compute (CUDA) support."),
                val("utility", "Monitoring tools such as nvidia-smi."),
            ]),
            "A capability.",
        )),
        "Capabilities the devices must have, such as `[gpu]`. Required.",
    ),
    key("driver", STR, "The device driver, such as `nvidia`."),
    key(
        "count",
        Ty::OneOf(&[INT, Ty::Enum(&[val("all", "Every matching device.")])]),
        "How many devices to reserve, or `all`.",
    ),
    key("device_ids", STR_LIST, "Specific device ids; cannot be combined with `count`."),
    key("options", STR_MAP, "Driver-specific options."),
];

const RESOURCE_LIMITS: &[KeySpec] = &[
    key("cpus", Ty::Format(Format::Cpus), "The most CPU the containers may use, such as `0.5`."),
    key("memory", BYTES, "The most memory the containers may use."),
    key("pids", INT, "The most processes the containers may run."),
];

const RESOURCE_RESERVATIONS: &[KeySpec] = &[
    key("cpus", Ty::Format(Format::Cpus), "CPU guaranteed to the containers."),
    key("memory", BYTES, "Memory guaranteed to the containers."),
    key(
        "generic_resources",
        Ty::List(&key(
            "[]",
            Ty::Object(&[key(
                "discrete_resource_spec",
                Ty::Object(&[
                    key("kind", STR, "The resource kind."),
                    key("value", INT, "How many."),
                ]),
                "A countable resource.",
            )]),
            "A generic resource.",
        )),
        "Other resources to reserve (Swarm).",
    ),
    key(
        "devices",
        Ty::List(&key("[]", Ty::Object(DEVICE_REQUEST_KEYS), "A device request.")),
        "Devices, such as GPUs, to reserve for the containers.",
    ),
];

const UPDATE_KEYS: &[KeySpec] = &[
    key("parallelism", INT, "How many containers change at a time (0 means all)."),
    key("delay", DURATION, "The wait between batches."),
    key(
        "failure_action",
        Ty::Enum(&[
            val("continue", "Carry on with the next batch."),
            val("rollback", "Roll back to the previous version."),
            val("pause", "Stop and wait (the default)."),
        ]),
        "What to do when a batch fails.",
    ),
    key("monitor", DURATION, "How long to watch each updated container for failure."),
    key("max_failure_ratio", Ty::Number, "The share of failures tolerated, 0 to 1."),
    key(
        "order",
        Ty::Enum(&[
            val("stop-first", "Stop the old container before starting the new one (default)."),
            val("start-first", "Start the new container first, so both briefly run."),
        ]),
        "The order of stopping old and starting new containers.",
    ),
];

pub(crate) const DEPLOY_KEYS: &[KeySpec] = &[
    key(
        "endpoint_mode",
        Ty::Enum(&[
            val("vip", "One virtual IP load-balances across the containers."),
            val("dnsrr", "DNS returns the address of every container in turn."),
        ]),
        "How clients discover the service's containers.",
    ),
    key("labels", MAP_OR_LIST, "Labels set on the service (not on its containers)."),
    key(
        "mode",
        Ty::Enum(&[
            val("replicated", "A fixed number of containers (the default)."),
            val("global", "One container on every node."),
            val("replicated-job", "Run a fixed number of containers to completion."),
            val("global-job", "Run one container per node to completion."),
        ]),
        "How containers are spread.",
    ),
    key(
        "placement",
        Ty::Object(&[
            key("constraints", STR_LIST, "Node requirements, such as `node.role==manager`."),
            key(
                "preferences",
                Ty::List(&key(
                    "[]",
                    Ty::Object(&[key("spread", STR, "A node label to spread containers over.")]),
                    "A placement preference.",
                )),
                "Soft placement rules.",
            ),
            key("max_replicas_per_node", INT, "The most containers on one node."),
        ]),
        "Where containers may run (Swarm).",
    ),
    key("replicas", INT, "How many containers to run (replicated mode)."),
    key(
        "resources",
        Ty::Object(&[
            key(
                "limits",
                Ty::Object(RESOURCE_LIMITS),
                "Upper bounds the containers cannot exceed.",
            ),
            key(
                "reservations",
                Ty::Object(RESOURCE_RESERVATIONS),
                "Resources guaranteed to the containers.",
            ),
        ]),
        "CPU, memory and device limits and reservations.",
    ),
    key(
        "restart_policy",
        Ty::Object(&[
            key(
                "condition",
                Ty::Enum(&[
                    val("none", "Never restart."),
                    val("on-failure", "Restart after a non-zero exit."),
                    val("any", "Restart whenever the container stops (the default)."),
                ]),
                "When to restart.",
            ),
            key("delay", DURATION, "The wait between restart attempts."),
            key("max_attempts", INT, "How many times to try before giving up."),
            key("window", DURATION, "How long to wait before deciding a restart worked."),
        ]),
        "How to restart containers when they exit (Swarm-style; `restart` is the plain \
         Compose setting).",
    ),
    key("rollback_config", Ty::Object(UPDATE_KEYS), "How to roll back a failed update."),
    key("update_config", Ty::Object(UPDATE_KEYS), "How to roll out an update."),
];

const WATCH_ITEM: KeySpec =
    key("[]", Ty::Object(WATCH_KEYS), "A watch rule: which files, and what to do.");

const WATCH_KEYS: &[KeySpec] = &[
    key(
        "action",
        Ty::Enum(&[
            val("sync", "Copy changed files into the running container."),
            val("rebuild", "Rebuild the image and replace the container."),
            val("restart", "Restart the container."),
            val("sync+restart", "Copy changed files, then restart the container."),
            val("sync+exec", "Copy changed files, then run `exec` in the container."),
        ]),
        "What to do when a watched file changes. Required.",
    ),
    key("path", STR, "The file or directory to watch, relative to the Compose file. Required."),
    key("target", STR, "Where synced files go in the container (for `sync` actions)."),
    key("ignore", STR_LIST, "Patterns, relative to `path`, whose changes are ignored."),
    key("include", STR_LIST, "Patterns, relative to `path`, that alone are watched."),
    key("initial_sync", BOOL, "Sync the files once when watching starts, before any change."),
    key("exec", Ty::Object(super::service::HOOK_KEYS), "The command to run for `sync+exec`."),
];

pub(crate) const DEVELOP_KEYS: &[KeySpec] = &[key(
    "watch",
    Ty::List(&WATCH_ITEM),
    "Rules for `docker compose watch`, each a path and an action.",
)];
