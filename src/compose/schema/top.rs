//! Top-level sections and the resources they declare: networks, volumes, secrets, configs,
//! models, included files.

use super::*;

pub(crate) const TOP: &[KeySpec] = &[
    key(
        "name",
        STR,
        "The project name. Compose prefixes container, network and volume names with it; it \
         must be lowercase letters, digits, dashes and underscores, starting with a letter or \
         digit. Inside the file it is available as `${COMPOSE_PROJECT_NAME}`.",
    ),
    key(
        "version",
        STR,
        "Former file-format version marker. Current Compose ignores it and warns that it is \
         obsolete; the newest specification always applies.",
    )
    .deprecated("Compose ignores `version`; delete the line."),
    key(
        "services",
        Ty::Map(&super::service::SERVICE),
        "The containers of the application, one entry per service name. Each service says \
         which image to run (or how to build it) and how to configure its containers.",
    ),
    key(
        "networks",
        Ty::Map(&NETWORK),
        "Networks that services can join, by name. Services on a shared network reach each \
         other by service name; a `default` network is created when none is given.",
    ),
    key(
        "volumes",
        Ty::Map(&VOLUME),
        "Named volumes: storage managed by the container engine that outlives containers and \
         can be shared between services.",
    ),
    key(
        "secrets",
        Ty::Map(&SECRET),
        "Sensitive data (passwords, keys, certificates) that services may be granted; it is \
         mounted as a file under `/run/secrets/` in the containers that ask for it.",
    ),
    key(
        "configs",
        Ty::Map(&CONFIG),
        "Non-sensitive configuration files that services may be granted; each is mounted as a \
         file in the containers that ask for it, without rebuilding images.",
    ),
    key(
        "include",
        Ty::List(&INCLUDE_ITEM),
        "Other Compose files to load into this project, each with its own directory for \
         relative paths. Their resources must not clash with the ones declared here.",
    ),
    key(
        "models",
        Ty::Map(&MODEL),
        "AI models the application uses, pulled as OCI artifacts and served by a model runner. \
         Services gain access through their own `models` key.",
    ),
];

const INCLUDE_ITEM: KeySpec = key(
    "[]",
    Ty::OneOf(&[STR, Ty::Object(INCLUDE)]),
    "A Compose file to include: its path, or a mapping with the path and loading options.",
);

const INCLUDE: &[KeySpec] = &[
    key(
        "path",
        STR_OR_LIST,
        "The Compose file to include, relative to this file. A list merges several files \
         into one included project, like repeated `-f` options.",
    ),
    key(
        "project_directory",
        STR,
        "The directory that relative paths in the included file resolve against. It defaults \
         to the included file's own directory.",
    ),
    key(
        "env_file",
        STR_OR_LIST,
        "Environment file(s) supplying the variables used for interpolation in the included \
         file. By default its directory's `.env` is read.",
    ),
];

const NETWORK: KeySpec = key(
    "*",
    Ty::OneOf(&[Ty::Object(NETWORK_KEYS), Ty::Null]),
    "A network; an empty entry creates it with the default driver.",
);

const NETWORK_DRIVERS: &[EnumValue] = &[
    val("bridge", "A private network on one host (the default for single-host Compose)."),
    val("overlay", "A network spanning the nodes of a Swarm cluster."),
    val("host", "Share the host's network stack."),
    val("none", "No networking."),
    val("macvlan", "Give containers their own MAC address on the physical network."),
    val("ipvlan", "Give containers their own IP address on the physical network."),
];

const NETWORK_KEYS: &[KeySpec] = &[
    key(
        "driver",
        Ty::Suggest(NETWORK_DRIVERS),
        "The network driver. The platform picks one (usually `bridge`) when this is not set.",
    ),
    key("driver_opts", STR_MAP, "Options passed to the network driver, as `name: value` pairs."),
    key(
        "attachable",
        BOOL,
        "Lets standalone containers, not just services, connect to the network (overlay \
         networks).",
    ),
    key("enable_ipv4", BOOL, "Whether containers on the network get IPv4 addresses."),
    key("enable_ipv6", BOOL, "Whether containers on the network get IPv6 addresses."),
    key(
        "external",
        Ty::OneOf(&[BOOL, Ty::Object(EXTERNAL_LEGACY)]),
        "`true` means the network already exists and Compose must not create or remove it; \
         Compose fails when it cannot be found.",
    ),
    key(
        "internal",
        BOOL,
        "Cuts the network off from the outside world: containers on it can only reach each \
         other.",
    ),
    key("ipam", Ty::Object(IPAM), "Custom IP address management: subnets, gateways, ranges."),
    key("labels", MAP_OR_LIST, "Metadata labels set on the network."),
    key(
        "name",
        STR,
        "The actual network name, used as is (not prefixed with the project name). Useful with \
         `external` networks or to share a network between projects.",
    ),
];

/// The old `external: {name: …}` form of volumes and networks.
const EXTERNAL_LEGACY: &[KeySpec] = &[key("name", STR, "The name of the existing resource.")
    .deprecated("Set `external: true` and give the name with the sibling `name` key.")];

const IPAM: &[KeySpec] = &[
    key("driver", STR, "The IPAM driver to use instead of the default one."),
    key("config", Ty::List(&IPAM_CONFIG_ITEM), "Address pools, one mapping per subnet."),
    key("options", STR_MAP, "Driver-specific IPAM options."),
];

const IPAM_CONFIG_ITEM: KeySpec =
    key("[]", Ty::Object(IPAM_CONFIG), "One address pool of the network.");

const IPAM_CONFIG: &[KeySpec] = &[
    key("subnet", STR, "The subnet in CIDR notation, such as `172.28.0.0/16`."),
    key("ip_range", STR, "The range, in CIDR notation, that container addresses come from."),
    key("gateway", STR, "The IPv4 or IPv6 gateway address of the subnet."),
    key("aux_addresses", STR_MAP, "Addresses the network driver must not hand out, by host name."),
];

const VOLUME: KeySpec = key(
    "*",
    Ty::OneOf(&[Ty::Object(VOLUME_KEYS), Ty::Null]),
    "A named volume; an empty entry creates it with the default driver.",
);

const VOLUME_KEYS: &[KeySpec] = &[
    key(
        "driver",
        Ty::Suggest(&[val("local", "The built-in driver storing data on the host.")]),
        "The volume driver. Defaults to the engine's default, normally `local`.",
    ),
    key(
        "driver_opts",
        STR_MAP,
        "Options for the volume driver; with `local` they can mount an NFS share or a device \
         (`type`, `o`, `device`).",
    ),
    key(
        "external",
        Ty::OneOf(&[BOOL, Ty::Object(EXTERNAL_LEGACY)]),
        "`true` means the volume already exists and Compose must not create it; Compose fails \
         when it cannot be found.",
    ),
    key("labels", MAP_OR_LIST, "Metadata labels set on the volume."),
    key("name", STR, "The actual volume name, used as is (not prefixed with the project name)."),
];

const SECRET: KeySpec =
    key("*", Ty::Object(SECRET_KEYS), "A secret and where its value comes from.");

const SECRET_KEYS: &[KeySpec] = &[
    key("file", STR, "Read the secret from this file, relative to the Compose file."),
    key(
        "environment",
        STR,
        "Take the secret from this environment variable of the machine running Compose.",
    ),
    key(
        "external",
        BOOL,
        "`true` means the secret already exists on the platform (for example in Swarm) and \
         Compose only looks it up.",
    ),
    key("name", STR, "The secret's name on the platform, used as is."),
    key("labels", MAP_OR_LIST, "Metadata labels set on the secret."),
    key("driver", STR, "A secret driver of the platform that provides the value."),
    key("driver_opts", STR_MAP, "Options for the secret driver."),
    key(
        "template_driver",
        STR,
        "A templating engine the platform applies to the secret's content.",
    ),
];

const CONFIG: KeySpec =
    key("*", Ty::Object(CONFIG_KEYS), "A config and where its content comes from.");

const CONFIG_KEYS: &[KeySpec] = &[
    key("file", STR, "Read the config from this file, relative to the Compose file."),
    key(
        "environment",
        STR,
        "Take the config's content from this environment variable of the machine running \
         Compose.",
    ),
    key("content", STR, "The config's content written inline; variables in it are interpolated."),
    key(
        "external",
        BOOL,
        "`true` means the config already exists on the platform and Compose only looks it up.",
    ),
    key("name", STR, "The config's name on the platform, used as is."),
    key("labels", MAP_OR_LIST, "Metadata labels set on the config."),
    key(
        "template_driver",
        STR,
        "A templating engine the platform applies to the config's content.",
    ),
];

const MODEL: KeySpec = key("*", Ty::Object(MODEL_KEYS), "An AI model the application uses.");

const MODEL_KEYS: &[KeySpec] = &[
    key("model", STR, "The OCI artifact of the model, such as `ai/smollm2`. Required."),
    key("context_size", INT, "The largest token context the model runner allows."),
    key(
        "runtime_flags",
        STR_LIST,
        "Extra command-line flags passed as is to the inference engine.",
    ),
];
