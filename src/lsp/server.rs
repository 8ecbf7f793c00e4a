//! The language server: tower-lsp-server handlers that convert parameters, call `analysis` on a
//! snapshot, and convert the result. Document changes are applied synchronously in message
//! order; diagnostics are computed by one background task that always works on the newest
//! snapshot and drops stale results.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use serde_json::Value;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use super::catch_panic::CatchPanic;
use super::convert::{self, Resolver};
use super::position::Encoding;
use super::splice::Splices;
use super::store::{Store, path_of, uri_of};
use super::transport;
use crate::analysis;
use crate::config::{Config, Level};
use crate::diagnostics::Severity;
use crate::workspace::{Document, Snapshot, load};

/// What the client told us it can do.
#[derive(Clone, Copy, Default)]
struct ClientCaps {
    snippets: bool,
    /// The client fetches an item's documentation with `completionItem/resolve`.
    resolve_docs: bool,
    dynamic_watchers: bool,
    work_done_progress: bool,
    hierarchical_symbols: bool,
    /// The client pulls diagnostics (`textDocument/diagnostic`) and honours
    /// `workspace/diagnostic/refresh`, so berth can answer "unchanged" instead of re-sending a
    /// file's whole list after every keystroke.
    pull_diagnostics: bool,
}

/// What the client was last given for each open document, by push or by pull. Shared by the
/// pull handler and the background loop, which compares against it to decide whether another
/// document's (cross-file) diagnostics changed.
#[derive(Default)]
struct Reported {
    pull: AtomicBool,
    next_id: AtomicU64,
    by_path: Mutex<ReportedMap>,
}

/// Path → (result id, the diagnostics as JSON). Compared as bytes: cheaper than comparing
/// hundreds of structs, and exactly what the client saw.
type ReportedMap = HashMap<Arc<Path>, (String, Arc<Vec<u8>>)>;

impl Reported {
    fn lock(&self) -> std::sync::MutexGuard<'_, ReportedMap> {
        crate::util::lock(&self.by_path)
    }

    /// Record `diags` for `path`; returns its result id, the old one when nothing changed.
    fn record(&self, path: &Arc<Path>, diags: &Arc<Vec<u8>>) -> (String, bool) {
        let mut map = self.lock();
        if let Some((id, old)) = map.get(path)
            && old == diags
        {
            return (id.clone(), false);
        }
        let id = format!("{}", self.next_id.fetch_add(1, Ordering::Relaxed) + 1);
        map.insert(path.clone(), (id.clone(), diags.clone()));
        (id, true)
    }

    fn differs(&self, path: &Path, diags: &[u8]) -> bool {
        self.lock().get(path).is_none_or(|(_, old)| old.as_slice() != diags)
    }
}

pub struct Backend {
    client: Client,
    store: Arc<Store>,
    enc: Arc<RwLock<Encoding>>,
    caps: RwLock<ClientCaps>,
    /// Editor-side settings (initializationOptions / workspace configuration), layered over
    /// the project's `berth.toml`.
    editor_settings: RwLock<Value>,
    /// The config file that has an `invalid-config` diagnostic published, to clear it later.
    config_error_path: RwLock<Option<PathBuf>>,
    dirty: mpsc::UnboundedSender<Option<Arc<Path>>>,
    reported: Arc<Reported>,
    held_docs: Arc<convert::HeldDocs>,
    splices: Arc<Splices>,
}

pub fn run_stdio() -> i32 {
    widen_stdout_pipe();
    let rt =
        match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(rt) => rt,
            Err(e) => {
                eprintln!("error: cannot start the async runtime: {e}");
                return 2;
            }
        };
    // Served from a task, not from `block_on`'s own thread: the protocol then stays on the
    // runtime's two workers, where a task woken by another usually runs on the same thread,
    // rather than bouncing every message between the main thread and a worker.
    rt.block_on(async {
        let _ = tokio::spawn(serve(super::stdio::input(), super::stdio::output())).await;
    });
    // The runtime's blocking pool may still hold a stdin read: don't wait for it.
    rt.shutdown_background();
    0
}

/// Threads for the workspace scan, apart from the pool that analyses keystrokes and at a
/// lower scheduling priority: on the global pool, a scan of a large workspace (or of the file
/// just opened, read again from disk) took the workers a keystroke's analysis was waiting
/// for, and on two cores it competed with it for time. None if the threads cannot be made
/// (the scan then runs on the global pool).
fn background_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("berth-scan-{i}"))
        .start_handler(|_| lower_thread_priority())
        .build()
        .ok()
}

/// Nice 10 for the calling thread (Linux gives each thread its own nice value).
fn lower_thread_priority() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: gettid and setpriority only read and set the scheduling priority of this thread.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

/// A diagnostics report for a big file is about 100 KB, and a pipe holds 64 KB by default: the
/// write then waits for the editor to drain the first part before the rest can go, a round of
/// wake-ups on every keystroke. A 1 MiB pipe (Linux's default limit for unprivileged
/// processes) takes any report at once. Where stdout is not a pipe, or the limit is lower,
/// the call fails and nothing changes.
fn widen_stdout_pipe() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: F_SETPIPE_SZ only resizes the kernel buffer of fd 1; it touches no memory of ours.
    unsafe {
        libc::fcntl(1, libc::F_SETPIPE_SZ, 1 << 20);
    }
}

/// Serve LSP over any byte streams: berth's framing filter in front, tower-lsp-server behind,
/// every handler wrapped so a panic becomes an error response. Ends when `input` ends.
pub async fn serve<I, O>(input: I, output: O)
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let splices = Arc::new(Splices::default());
    let for_backend = splices.clone();
    let (service, socket) = LspService::build(move |client| Backend::new(client, for_backend))
        .custom_method("berth/debugText", Backend::debug_text)
        .custom_method("berth/debugPanic", Backend::debug_panic)
        .finish();
    let (server_in, filter_out) = tokio::io::duplex(1 << 20);
    let (server_out, merge_in) = tokio::io::duplex(1 << 20);
    let (err_tx, err_rx) = mpsc::unbounded_channel();
    let input = tokio::spawn(transport::filter_input(input, filter_out, err_tx));
    let output = tokio::spawn(transport::merge_output(merge_in, err_rx, output, splices));
    Server::new(server_in, server_out, socket).serve(CatchPanic(service)).await;
    input.abort();
    let _ = output.await;
}

/// Parameters of the test-only `berth/debugText` request.
#[derive(serde::Deserialize)]
pub struct DebugTextParams {
    pub uri: Uri,
}

struct SnapResolver<'a>(&'a Snapshot);

impl Resolver for SnapResolver<'_> {
    fn doc(&self, path: &Path) -> Option<&Document> {
        self.0.get(path).map(|d| &**d)
    }
    fn uri(&self, path: &Path) -> Option<Uri> {
        uri_of(path)
    }
}

fn internal(e: impl std::fmt::Display) -> Error {
    let mut err = Error::internal_error();
    err.message = format!("berth: {e}").into();
    err
}

impl Backend {
    fn new(client: Client, splices: Arc<Splices>) -> Backend {
        let (tx, rx) = mpsc::unbounded_channel();
        let store = Arc::new(Store::default());
        let enc = Arc::new(RwLock::new(Encoding::default()));
        let reported = Arc::new(Reported::default());
        tokio::spawn(diagnostics_loop(
            client.clone(),
            store.clone(),
            enc.clone(),
            reported.clone(),
            splices.clone(),
            rx,
        ));
        Backend {
            client,
            store,
            enc,
            caps: RwLock::new(ClientCaps::default()),
            editor_settings: RwLock::new(Value::Null),
            config_error_path: RwLock::new(None),
            dirty: tx,
            reported,
            held_docs: Arc::default(),
            splices,
        }
    }

    /// `berth/debugText` (for tests): the server's text of a document, or null.
    async fn debug_text(&self, params: DebugTextParams) -> Result<Option<String>> {
        let snap = self.store.snapshot();
        Ok(snap.get(&path_of(&params.uri)).map(|d| d.text.to_string()))
    }

    /// `berth/debugPanic` (for tests): panics when `BERTH_TEST_PANIC=1`, to prove a panicking
    /// handler is answered with an error while the server keeps serving.
    async fn debug_panic(&self, _: Value) -> Result<()> {
        if std::env::var("BERTH_TEST_PANIC").as_deref() == Ok("1") {
            panic!("berth/debugPanic was asked to panic");
        }
        Err(Error::method_not_found())
    }

    fn enc(&self) -> Encoding {
        *self.enc.read().unwrap_or_else(|e| e.into_inner())
    }

    fn caps(&self) -> ClientCaps {
        *self.caps.read().unwrap_or_else(|e| e.into_inner())
    }

    fn mark_dirty(&self, path: Option<Arc<Path>>) {
        let _ = self.dirty.send(path);
    }

    /// Run `f` on the document's snapshot off the protocol threads. A panic inside becomes an
    /// error response; a cancelled request drops the result.
    async fn with_doc<T, F>(&self, uri: &Uri, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&Snapshot, &Document, Encoding) -> Option<T> + Send + 'static,
    {
        let snap = self.store.snapshot();
        let path = path_of(uri);
        let enc = self.enc();
        let Some(doc) = snap.get(&path).cloned() else { return Ok(None) };
        on_analysis_pool(move || f(&snap, &doc, enc)).await.map_err(|msg| {
            tracing_log(&format!("handler panicked: {msg}"));
            internal(format!("internal error: {msg}"))
        })
    }

    /// Like [`Backend::with_doc`] for a large result: `f`'s answer is serialised off the
    /// protocol threads, parked, and the client is answered with `placeholder(token)`, which
    /// the output side swaps for it (see `splice`): tower-lsp-server would otherwise turn the
    /// result into a `serde_json::Value` tree before printing it.
    async fn with_doc_parked<T, R, F>(
        &self,
        uri: &Uri,
        f: F,
        placeholder: impl FnOnce(String) -> R,
    ) -> Result<Option<R>>
    where
        T: serde::Serialize,
        F: FnOnce(&Snapshot, &Document, Encoding) -> T + Send + 'static,
    {
        let json = self
            .with_doc(uri, move |snap, doc, enc| serde_json::to_vec(&f(snap, doc, enc)).ok())
            .await?;
        Ok(json.map(|json| placeholder(self.splices.park_result(json))))
    }

    fn effective_config(&self, roots: &[PathBuf]) -> (Config, Option<crate::config::ConfigError>) {
        let (mut config, error) = match roots.first().map(|r| Config::discover(r)) {
            Some(Ok(c)) => (c, None),
            Some(Err(e)) => (Config::default(), Some(e)),
            None => (Config::default(), None),
        };
        let settings = self.editor_settings.read().unwrap_or_else(|e| e.into_inner()).clone();
        apply_editor_settings(&mut config, &settings);
        (config, error)
    }

    async fn reload_config(&self) {
        let roots = self.store.snapshot().roots.to_vec();
        let (config, error) = self.effective_config(&roots);
        self.store.set_config(config);
        self.publish_config_error(error).await;
        self.mark_dirty(None);
    }

    async fn publish_config_error(&self, error: Option<crate::config::ConfigError>) {
        let previous = self.config_error_path.write().unwrap_or_else(|e| e.into_inner()).take();
        let Some(e) = error else {
            // The configuration is valid again: withdraw the old finding.
            if let Some(uri) = previous.as_deref().and_then(uri_of) {
                self.client.publish_diagnostics(uri, Vec::new(), None).await;
            }
            return;
        };
        let Some(uri) = uri_of(&e.path) else { return };
        *self.config_error_path.write().unwrap_or_else(|e| e.into_inner()) = Some(e.path.clone());
        let text = std::fs::read_to_string(&e.path).unwrap_or_default();
        let doc = Document::new(
            Arc::from(e.path.as_path()),
            crate::workspace::FileKind::Dotenv,
            None,
            &text,
        );
        let range = convert::range(&doc, self.enc(), &e.range.clone().unwrap_or(0..0));
        let diag = Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String(crate::analysis::INVALID_CONFIG.into())),
            code_description: crate::diagnostics::rule_url(crate::analysis::INVALID_CONFIG)
                .parse()
                .ok()
                .map(|href| CodeDescription { href }),
            source: Some("berth".into()),
            message: format!("invalid berth configuration: {}", e.message),
            ..Default::default()
        };
        self.client.publish_diagnostics(uri, vec![diag], None).await;
    }

    async fn scan_workspace(&self) {
        let roots = self.store.snapshot().roots.to_vec();
        if roots.is_empty() {
            return;
        }
        let progress = if self.caps().work_done_progress {
            let token = NumberOrString::String("berth/scan".into());
            match self.client.create_work_done_progress(token.clone()).await {
                Ok(()) => Some(
                    self.client
                        .progress(token, "berth: indexing")
                        .with_message("scanning the workspace")
                        .with_percentage(0)
                        .begin()
                        .await,
                ),
                Err(_) => None,
            }
        } else {
            None
        };
        let (ptx, mut prx) = mpsc::unbounded_channel::<(usize, usize)>();
        let store = self.store.clone();
        let scan = tokio::task::spawn_blocking(move || {
            let progress = move |done, total| {
                let _ = ptx.send((done, total));
            };
            let scan = || load::scan_except(&roots, &progress, &|path| store.is_open(path));
            match background_pool() {
                Some(pool) => pool.install(scan),
                None => scan(),
            }
        });
        let mut scan = std::pin::pin!(scan);
        let result = loop {
            tokio::select! {
                r = &mut scan => break r,
                Some((done, total)) = prx.recv() => {
                    if let Some(p) = &progress {
                        let pct = (done * 100 / total.max(1)) as u32;
                        p.report_with_message(format!("{done}/{total} files"), pct).await;
                    }
                }
            }
        };
        match result {
            Ok(scan) => {
                let n = scan.docs.len();
                for (path, why) in &scan.skipped {
                    self.client
                        .log_message(MessageType::WARNING, format!("{}: {why}", path.display()))
                        .await;
                }
                for path in &scan.lossy {
                    self.client
                        .log_message(
                            MessageType::WARNING,
                            format!(
                                "{}: not valid UTF-8; invalid bytes read as U+FFFD",
                                path.display()
                            ),
                        )
                        .await;
                }
                self.store.add_scanned(scan.docs);
                if let Some(p) = progress {
                    p.finish_with_message(format!("{n} files indexed")).await;
                }
                self.client
                    .log_message(MessageType::INFO, format!("berth: indexed {n} files"))
                    .await;
            }
            Err(e) => {
                if let Some(p) = progress {
                    p.finish_with_message("indexing failed").await;
                }
                self.client
                    .log_message(MessageType::ERROR, format!("berth: workspace scan failed: {e}"))
                    .await;
            }
        }
        self.mark_dirty(None);
    }

    async fn register_watchers(&self) {
        if !self.caps().dynamic_watchers {
            return;
        }
        let globs = [
            "**/{Dockerfile,Containerfile}",
            "**/{Dockerfile,Containerfile}.*",
            "**/*.{dockerfile,Dockerfile,containerfile}",
            "**/{compose,docker-compose}*.{yaml,yml}",
            "**/.env",
            "**/.env.*",
            "**/*.env",
            "**/*.py",
            "**/berth.toml",
            "**/pyproject.toml",
        ];
        let watchers = globs
            .iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g.to_string()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let reg = Registration {
            id: "berth-watch".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(e) = self.client.register_capability(vec![reg]).await {
            self.client
                .log_message(MessageType::WARNING, format!("berth: cannot watch files: {e}"))
                .await;
        }
    }
}

pub(super) fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

fn tracing_log(msg: &str) {
    eprintln!("berth: {msg}");
}

/// `{"rules": {"DL3008": "warning", "env-unused": "off"}, "maskSecrets": false}` (also accepted
/// nested under `berth`).
fn apply_editor_settings(config: &mut Config, settings: &Value) {
    let s = settings.get("berth").unwrap_or(settings);
    if let Some(rules) = s.get("rules").and_then(Value::as_object) {
        for (code, level) in rules {
            let Some(level) = level.as_str() else { continue };
            let parsed = if level.eq_ignore_ascii_case("off") {
                Some(Level::Off)
            } else {
                Severity::parse(level).map(Level::On)
            };
            if let Some(l) = parsed {
                config.rules.insert(code.clone(), l);
            }
        }
    }
    if let Some(mask) = s.get("maskSecrets").and_then(Value::as_bool) {
        config.mask_secrets = mask;
    }
}

fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.clone())
        .unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if offered.contains(&PositionEncodingKind::UTF16) || offered.is_empty() {
        Encoding::Utf16
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

fn encoding_kind(e: Encoding) -> PositionEncodingKind {
    match e {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

fn roots_of(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
        .collect();
    #[allow(deprecated)] // root_uri is what older clients send.
    if roots.is_empty()
        && let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path())
    {
        roots.push(p.into_owned());
    }
    roots
}

fn capabilities(enc: Encoding, pull_diagnostics: bool) -> ServerCapabilities {
    ServerCapabilities {
        diagnostic_provider: pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("berth".to_string()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            })
        }),
        position_encoding: Some(encoding_kind(enc)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(false)),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                ["$", "{", "-", "=", ":", " ", "/", ",", "\"", ".", "["]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            ),
            resolve_provider: Some(true),
            ..Default::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec![" ".to_string(), "=".to_string(), ",".to_string()]),
            retrigger_characters: None,
            work_done_progress_options: Default::default(),
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR_REWRITE,
            ]),
            ..Default::default()
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: SemanticTokensLegend {
                    token_types: convert::TOKEN_TYPES.to_vec(),
                    token_modifiers: convert::TOKEN_MODIFIERS.to_vec(),
                },
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: Default::default(),
            },
        )),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let enc = negotiate_encoding(&params);
        *self.enc.write().unwrap_or_else(|e| e.into_inner()) = enc;
        let c = &params.capabilities;
        let caps = ClientCaps {
            snippets: c
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                .unwrap_or(false),
            resolve_docs: c
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "documentation")),
            dynamic_watchers: c
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            work_done_progress: c
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            hierarchical_symbols: c
                .text_document
                .as_ref()
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|d| d.hierarchical_document_symbol_support)
                .unwrap_or(false),
            // Pull only with refresh: without it, a compose edit could not update an open
            // settings module's cross-file findings.
            pull_diagnostics: c.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some())
                && c.workspace
                    .as_ref()
                    .and_then(|w| w.diagnostics.as_ref())
                    .and_then(|d| d.refresh_support)
                    .unwrap_or(false),
        };
        *self.caps.write().unwrap_or_else(|e| e.into_inner()) = caps;
        self.reported.pull.store(caps.pull_diagnostics, Ordering::Relaxed);
        if let Some(opts) = &params.initialization_options {
            *self.editor_settings.write().unwrap_or_else(|e| e.into_inner()) = opts.clone();
        }
        let roots = roots_of(&params);
        let (config, error) = self.effective_config(&roots);
        self.store.set_roots(roots, config);
        if let Some(e) = error {
            eprintln!("berth: {e}");
        }
        Ok(InitializeResult {
            capabilities: capabilities(enc, caps.pull_diagnostics),
            server_info: Some(ServerInfo {
                name: "berth".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.register_watchers().await;
        let roots = self.store.snapshot().roots.to_vec();
        let (_, error) = self.effective_config(&roots);
        self.publish_config_error(error).await;
        self.scan_workspace().await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let td = params.text_document;
        let path = path_of(&td.uri);
        if self.store.open(td.uri, &td.language_id, td.version, &td.text).is_some() {
            self.mark_dirty(Some(path))
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let enc = self.enc();
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let changes = params.content_changes;
        let result = self.store.change(&uri, version, move |doc| {
            let mut doc = doc.clone();
            for change in changes {
                doc = match change.range {
                    Some(r) => {
                        let range = convert::byte_range(&doc, enc, r);
                        doc.edit(range, &change.text, Some(version))
                    }
                    None => doc.replace_all(&change.text, Some(version)),
                };
            }
            doc
        });
        match result {
            Ok(()) => self.mark_dirty(Some(path_of(&uri))),
            Err(e) => self.client.log_message(MessageType::WARNING, format!("berth: {e}")).await,
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.store.close(&uri);
        self.reported.lock().remove(&*path_of(&uri));
        // Diagnostics are published for open documents only.
        if !self.caps().pull_diagnostics {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
        self.mark_dirty(None);
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let path = path_of(&params.text_document.uri);
        let items = self
            .with_doc(&params.text_document.uri, |snap, doc, enc| {
                Some(diagnostics_json(snap, doc, enc))
            })
            .await?
            .unwrap_or_else(|| b"[]".to_vec());
        let items = Arc::new(items);
        let (id, _) = self.reported.record(&path, &items);
        let report = if params.previous_result_id.as_deref() == Some(id.as_str()) {
            DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id: id,
                },
            })
        } else {
            // The items go to the wire directly (see `splice`).
            self.splices.park(&id, items);
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(id),
                    items: Vec::new(),
                },
            })
        };
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut config_changed = false;
        for change in params.changes {
            let Some(path) = change.uri.to_file_path().map(|p| p.into_owned()) else { continue };
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name == crate::config::FILE_NAME || name == "pyproject.toml" {
                config_changed = true;
                continue;
            }
            if change.typ == FileChangeType::DELETED {
                self.store.disk_deleted(&path);
            } else if let Err(e) = self.store.disk_changed(&path) {
                self.client.log_message(MessageType::WARNING, format!("berth: {e}")).await;
            }
        }
        if config_changed {
            self.reload_config().await;
        } else {
            self.mark_dirty(None);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if !params.settings.is_null() {
            *self.editor_settings.write().unwrap_or_else(|e| e.into_inner()) = params.settings;
        }
        self.reload_config().await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let mut roots = self.store.snapshot().roots.to_vec();
        for removed in params.event.removed {
            if let Some(p) = removed.uri.to_file_path() {
                roots.retain(|r| r != p.as_ref());
            }
        }
        for added in params.event.added {
            if let Some(p) = added.uri.to_file_path() {
                roots.push(p.into_owned());
            }
        }
        let (config, _) = self.effective_config(&roots);
        self.store.set_roots(roots, config);
        self.scan_workspace().await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        self.with_doc(&p.text_document.uri, move |snap, doc, enc| {
            let offset = convert::offset(doc, enc, p.position);
            let h = analysis::hover(snap, doc, offset)?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: h.markdown,
                }),
                range: Some(convert::range(doc, enc, &h.range)),
            })
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri.clone();
        let ClientCaps { snippets, resolve_docs, .. } = self.caps();
        let held = resolve_docs.then(|| self.held_docs.clone());
        // Hundreds of items where a service or variable name goes.
        let compute = move |snap: &Snapshot, doc: &Document, enc| {
            let offset = convert::offset(doc, enc, p.position);
            let items = analysis::complete(snap, doc, offset);
            let mut items = convert::completions(doc, enc, items, snippets);
            if let Some(held) = held {
                held.hold(&mut items);
            }
            CompletionList { is_incomplete: false, items }
        };
        self.with_doc_parked(&uri, compute, |label| {
            CompletionResponse::Array(vec![CompletionItem { label, ..Default::default() }])
        })
        .await
    }

    async fn completion_resolve(&self, item: CompletionItem) -> Result<CompletionItem> {
        Ok(self.held_docs.resolve(item))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        self.with_doc(&p.text_document.uri, move |snap, doc, enc| {
            let offset = convert::offset(doc, enc, p.position);
            let locs = locations(snap, enc, &analysis::definition(snap, doc, offset));
            if locs.is_empty() { None } else { Some(GotoDefinitionResponse::Array(locs)) }
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let include = params.context.include_declaration;
        self.with_doc(&p.text_document.uri, move |snap, doc, enc| {
            let offset = convert::offset(doc, enc, p.position);
            Some(locations(snap, enc, &analysis::references(snap, doc, offset, include)))
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        self.with_doc(&p.text_document.uri, move |snap, doc, enc| {
            let offset = convert::offset(doc, enc, p.position);
            let hs = analysis::highlights(snap, doc, offset);
            Some(
                hs.iter()
                    .map(|h| DocumentHighlight {
                        range: convert::range(doc, enc, &h.range),
                        kind: Some(if h.write {
                            DocumentHighlightKind::WRITE
                        } else {
                            DocumentHighlightKind::READ
                        }),
                    })
                    .collect(),
            )
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.with_doc(&params.text_document.uri, move |snap, doc, enc| {
            let offset = convert::offset(doc, enc, params.position);
            let t = analysis::rename(snap, doc, offset)?;
            Some(PrepareRenameResponse::RangeWithPlaceholder {
                range: convert::range(doc, enc, &t.range),
                placeholder: t.placeholder,
            })
        })
        .await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let new_name = params.new_name;
        if new_name.trim().is_empty() || new_name.chars().any(char::is_whitespace) {
            return Err(Error::invalid_params("a name cannot be empty or contain spaces"));
        }
        self.with_doc(&p.text_document.uri, move |snap, doc, enc| {
            let offset = convert::offset(doc, enc, p.position);
            let t = analysis::rename(snap, doc, offset)?;
            let edits = t
                .occurrences
                .iter()
                .map(|l| crate::diagnostics::FileEdit {
                    path: l.path.clone(),
                    range: l.range.clone(),
                    new_text: new_name.clone(),
                })
                .collect::<Vec<_>>();
            workspace_edit(snap, enc, &edits)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri.clone();
        if !self.caps().hierarchical_symbols {
            return self
                .with_doc(&params.text_document.uri, move |_, doc, enc| {
                    let mut flat = Vec::new();
                    flatten_symbols(doc, enc, &uri, &analysis::symbols(doc), None, &mut flat);
                    Some(DocumentSymbolResponse::Flat(flat))
                })
                .await;
        }
        // Thousands of symbols in a long file.
        let compute =
            |_: &Snapshot, doc: &Document, enc| convert::symbols(doc, enc, &analysis::symbols(doc));
        self.with_doc_parked(&params.text_document.uri, compute, |name| {
            #[allow(deprecated)] // `deprecated` is a required field of DocumentSymbol.
            let placeholder = DocumentSymbol {
                name,
                detail: None,
                kind: SymbolKind::FILE,
                tags: None,
                deprecated: None,
                range: Range::default(),
                selection_range: Range::default(),
                children: None,
            };
            DocumentSymbolResponse::Nested(vec![placeholder])
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let compute = |_: &Snapshot, doc: &Document, _| convert::folds(doc, &analysis::folds(doc));
        self.with_doc_parked(&params.text_document.uri, compute, |token| {
            vec![FoldingRange { collapsed_text: Some(token), ..Default::default() }]
        })
        .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let compute = |snap: &Snapshot, doc: &Document, enc| {
            let links = analysis::links(snap, doc);
            let ranges: Vec<_> = links.iter().map(|l| l.range.clone()).collect();
            links
                .iter()
                .zip(convert::ranges(doc, enc, &ranges))
                .filter_map(|(l, range)| {
                    let target = if l.target.contains("://") {
                        l.target.parse::<Uri>().ok()?
                    } else {
                        uri_of(Path::new(&l.target))?
                    };
                    let tooltip = l.tooltip.clone();
                    Some(DocumentLink { range, target: Some(target), tooltip, data: None })
                })
                .collect::<Vec<_>>()
        };
        self.with_doc_parked(&params.text_document.uri, compute, |token| {
            let tooltip = Some(token);
            vec![DocumentLink { range: Range::default(), target: None, tooltip, data: None }]
        })
        .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.with_doc(&params.text_document.uri, move |_, doc, enc| {
            Some(text_edits(doc, enc, &analysis::format(doc, None)))
        })
        .await
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        self.with_doc(&params.text_document.uri, move |_, doc, enc| {
            let range = convert::byte_range(doc, enc, params.range);
            Some(text_edits(doc, enc, &analysis::format(doc, Some(range))))
        })
        .await
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let p = params.text_document_position_params;
        self.with_doc(&p.text_document.uri, move |_, doc, enc| {
            let offset = convert::offset(doc, enc, p.position);
            let help = analysis::signature_help(doc, offset)?;
            Some(convert::signature_help(&help, enc))
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let compute = |_: &Snapshot, doc: &Document, enc| {
            let data = convert::semantic_tokens(doc, enc, &analysis::semantic_tokens(doc));
            SemanticTokens { result_id: None, data }
        };
        self.with_doc_parked(&params.text_document.uri, compute, |token| {
            SemanticTokensResult::Tokens(SemanticTokens {
                result_id: Some(token),
                data: Vec::new(),
            })
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        self.with_doc(&params.text_document.uri, move |snap, doc, enc| {
            let range = convert::byte_range(doc, enc, params.range);
            let res = SnapResolver(snap);
            let actions = analysis::code_actions(snap, doc, range);
            let out = actions
                .iter()
                .filter_map(|a| {
                    let edit = workspace_edit(snap, enc, &a.fix.edits)?;
                    let _ = &uri;
                    Some(CodeActionOrCommand::CodeAction(CodeAction {
                        title: a.fix.title.clone(),
                        kind: Some(if a.quickfix {
                            CodeActionKind::QUICKFIX
                        } else {
                            CodeActionKind::REFACTOR_REWRITE
                        }),
                        diagnostics: a
                            .diagnostic
                            .as_ref()
                            .map(|d| vec![convert::diagnostic(doc, enc, d, &res)]),
                        edit: Some(edit),
                        is_preferred: if a.fix.preferred { Some(true) } else { None },
                        ..Default::default()
                    }))
                })
                .collect();
            Some(out)
        })
        .await
    }
}

fn flatten_symbols(
    doc: &Document,
    enc: Encoding,
    uri: &Uri,
    syms: &[crate::ide::Symbol],
    container: Option<&str>,
    out: &mut Vec<SymbolInformation>,
) {
    for s in syms {
        #[allow(deprecated)] // `deprecated` is a required field of SymbolInformation.
        out.push(SymbolInformation {
            name: s.name.clone(),
            kind: convert::symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            location: Location { uri: uri.clone(), range: convert::range(doc, enc, &s.range) },
            container_name: container.map(str::to_string),
        });
        flatten_symbols(doc, enc, uri, &s.children, Some(&s.name), out);
    }
}

fn locations(
    snap: &Snapshot,
    enc: Encoding,
    locs: &[crate::diagnostics::Location],
) -> Vec<Location> {
    locs.iter()
        .filter_map(|l| {
            let doc = snap.get(&l.path)?;
            Some(Location { uri: uri_of(&l.path)?, range: convert::range(doc, enc, &l.range) })
        })
        .collect()
}

fn text_edits(doc: &Document, enc: Encoding, edits: &[crate::ide::TextEdit]) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| TextEdit {
            range: convert::range(doc, enc, &e.range),
            new_text: e.new_text.clone(),
        })
        .collect()
}

/// Edits across files as one `WorkspaceEdit`; None when a file is unknown.
fn workspace_edit(
    snap: &Snapshot,
    enc: Encoding,
    edits: &[crate::diagnostics::FileEdit],
) -> Option<WorkspaceEdit> {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for e in edits {
        let doc = snap.get(&e.path)?;
        changes.entry(uri_of(&e.path)?).or_default().push(TextEdit {
            range: convert::range(doc, enc, &e.range),
            new_text: e.new_text.clone(),
        });
    }
    Some(WorkspaceEdit { changes: Some(changes), ..Default::default() })
}

/// A document's diagnostics as the JSON array the client receives.
fn diagnostics_json(snap: &Snapshot, doc: &Document, enc: Encoding) -> Vec<u8> {
    let diags = analysis::diagnostics(snap, doc);
    convert::diagnostics_json(doc, enc, &diags, &SnapResolver(snap))
}

/// Run `f` on rayon's pool, where the analysis's own parallel parts run, and wait for it
/// without blocking the protocol: one hand-off each way (a thread of tokio's blocking pool in
/// between cost two more wake-ups a request). A panic inside comes back as its message.
///
/// Safe because analysis never holds a lock, or initialises a per-version cache, across a
/// `rayon::join`: a worker waiting in a join may pick up another request, and that request
/// must not wait for anything below it on the same stack.
async fn on_analysis_pool<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> std::result::Result<T, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    rayon::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let _ = tx.send(result.map_err(panic_message));
    });
    rx.await.unwrap_or_else(|_| Err("the analysis stopped without a result".to_string()))
}

/// Keeps open documents' diagnostics current. With push, it publishes the changed document
/// first, then the others whose results differ from what was last published. With pull, the
/// client asks for the changed document itself; this loop checks the other open documents
/// (whose cross-file findings the change may have moved) and asks the client to re-pull when
/// one differs. Stale results are dropped.
async fn diagnostics_loop(
    client: Client,
    store: Arc<Store>,
    enc: Arc<RwLock<Encoding>>,
    reported: Arc<Reported>,
    splices: Arc<Splices>,
    mut rx: mpsc::UnboundedReceiver<Option<Arc<Path>>>,
) {
    while let Some(first) = rx.recv().await {
        let mut changed = first;
        while let Ok(next) = rx.try_recv() {
            changed = next.or(changed);
        }
        let pull = reported.pull.load(Ordering::Relaxed);
        let snap = store.snapshot();
        let enc = *enc.read().unwrap_or_else(|e| e.into_inner());
        let mut open = store.open_docs();
        open.sort_by_key(|(p, _, _)| Some(p) != changed.as_ref());
        reported.lock().retain(|p, _| open.iter().any(|(o, _, _)| o == p));
        let mut refresh = false;
        for (path, uri, version) in open {
            let is_changed = changed.as_deref() == Some(&*path);
            if pull && is_changed {
                continue; // the client pulls it
            }
            let Some(doc) = snap.get(&path).cloned() else { continue };
            let s = snap.clone();
            let computed = on_analysis_pool(move || diagnostics_json(&s, &doc, enc)).await;
            let json = match computed {
                Ok(d) => d,
                Err(msg) => {
                    tracing_log(&format!("diagnostics for {} failed: {msg}", path.display()));
                    continue;
                }
            };
            if store.version_of(&path) != Some(version) {
                continue; // a newer edit is queued; its run will publish
            }
            if pull {
                refresh |= reported.differs(&path, &json);
            } else {
                let json = Arc::new(json);
                if reported.record(&path, &json).1 || is_changed {
                    // The items go to the wire directly (see `splice`): a placeholder finding
                    // holds the token of the parked report.
                    let token = splices.park_result(Arc::unwrap_or_clone(json));
                    let placeholder = Diagnostic { message: token, ..Default::default() };
                    client.publish_diagnostics(uri, vec![placeholder], Some(version)).await;
                }
            }
            if !rx.is_empty() {
                break; // newer changes: start over on a fresh snapshot
            }
        }
        if refresh {
            // Don't wait for the answer: the client re-pulls in its own time.
            let client = client.clone();
            tokio::spawn(async move { client.workspace_diagnostic_refresh().await });
        }
    }
}
