//! Hidden tool: writes the generated benchmark inputs (`berth::bench_gen`), so the criterion
//! benches and the end-to-end scripts measure the same documents.
//!
//! ```sh
//! cargo run --release --bin berth-gen -- dockerfile --lines 2000 > Dockerfile
//! cargo run --release --bin berth-gen -- compose --services 500 > compose.yaml
//! cargo run --release --bin berth-gen -- workspace /tmp/ws --files 10000
//! ```

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "berth-gen", about = "Generate benchmark inputs for berth")]
struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// A multi-stage Dockerfile of exactly N lines, on stdout.
    Dockerfile {
        #[arg(long, default_value_t = 2000)]
        lines: usize,
    },
    /// A compose file with N services, on stdout.
    Compose {
        #[arg(long, default_value_t = 500)]
        services: usize,
    },
    /// A monorepo of about N files in DIR (which should be empty or absent).
    Workspace {
        dir: PathBuf,
        #[arg(long, default_value_t = 10_000)]
        files: usize,
    },
}

fn main() {
    let args = Args::parse();
    let result = match args.what {
        What::Dockerfile { lines } => {
            std::io::stdout().write_all(berth::bench_gen::dockerfile(lines).as_bytes())
        }
        What::Compose { services } => {
            std::io::stdout().write_all(berth::bench_gen::compose(services).as_bytes())
        }
        What::Workspace { dir, files } => berth::bench_gen::workspace(&dir, files).map(|n| {
            eprintln!("berth-gen: wrote {n} files under {}", dir.display());
        }),
    };
    if let Err(e) = result {
        eprintln!("berth-gen: {e}");
        std::process::exit(2);
    }
}
