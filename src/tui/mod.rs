//! The runtime of the full-screen app: one channel of [`Msg`], one `update`,
//! a frame drawn only when something visible changed. Terminal input, the
//! clock, signals and the store each run in their own task or thread and
//! report through the channel.

mod calls;
pub mod event_loop;
mod external;
mod health;
mod inbox;
mod input;
pub mod osc;
mod store_worker;

pub mod terminal;

use crate::app::{App, Effect, Msg};
use crate::store::Workspace;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::time::Duration;
use tokio::sync::mpsc;

/// Everything `handle` hands effects to.
struct Runtime {
    store: store_worker::StoreHandle,
    pollers: health::Pollers,
    mock_base: String,
    wiring_mode: Option<String>,
    redactor: std::sync::Arc<crate::domain::redact::Redactor>,
    /// Set when quitting: every running step's command is stopped.
    stop_steps: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Wakes the messages sender.
    send_messages: std::sync::Arc<tokio::sync::Notify>,
    team: Option<std::sync::Arc<crate::store::team::Shared>>,
}

/// How long quitting waits for stopped commands to report (their grace
/// between SIGTERM and SIGKILL is 2 s).
const STOP_STEPS_PATIENCE: Duration = Duration::from_secs(4);

/// Run the full screen. `mocks`: serve the local stand-ins inside the app
/// (the demo), and point `mode = "mock"` integrations at them.
pub fn run(
    app: App,
    workspace: Workspace,
    mocks: Option<crate::integrations::mock::Mocks>,
    team: Option<&crate::store::team::Team>,
) -> color_eyre::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = rt.block_on(event_loop(app, workspace, mocks, team));
    terminal::restore();
    // Input reader tasks may be blocked in a read; do not wait for them.
    rt.shutdown_timeout(Duration::from_millis(50));
    result
}

async fn event_loop(
    mut app: App,
    workspace: Workspace,
    mocks: Option<crate::integrations::mock::Mocks>,
    team: Option<&crate::store::team::Team>,
) -> color_eyre::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let redactor = std::sync::Arc::new(crate::ops::redactor(&app.config));
    let store = store_worker::spawn(
        store_worker::Setup {
            workspace: workspace.root.clone(),
            config: std::sync::Arc::new(app.config.clone()),
            readonly: app.readonly,
            redactor: redactor.clone(),
            team: team.map(|t| t.shared()),
        },
        tx.clone(),
    );
    if let Some(team) = team {
        hook_team(team, &store, &tx);
    }

    terminal::enter(app.config.mouse)?;
    app.job_control = terminal::job_control();
    app.strings = crate::settings::strings(&app.config);
    app.local_session =
        std::env::var_os("SSH_CONNECTION").is_none() && std::env::var_os("SSH_TTY").is_none();
    let writer = terminal::FrameWriter::new();
    let mut term = Terminal::new(crate::ui::edge::SafeBackend(CrosstermBackend::new(
        writer.clone(),
    )))?;
    let size = term.size()?;
    app.update(Msg::Resize(size.width, size.height));

    let input = input::spawn(tx.clone());
    spawn_clock(tx.clone());
    spawn_signals(tx.clone());

    let demo_stand_ins = mocks.is_some();
    let mock_base = match mocks {
        Some(m) => {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let addr = listener.local_addr()?;
            tokio::spawn(m.serve(listener));
            format!("http://{addr}")
        }
        None => std::env::var("SHIFTDECK_MOCK_BASE")
            .unwrap_or_else(|_| crate::integrations::probes::DEFAULT_MOCK_BASE.to_string()),
    };
    let wiring_mode = crate::secrets::var("OPERATOR_WIRING_MODE");
    let mut pollers = health::spawn(
        &app.config.integrations,
        wiring_mode.clone(),
        mock_base.clone(),
        redactor.clone(),
        tx.clone(),
    );
    inbox::spawn(
        inbox::Spawn {
            sources: &app.config.incident_sources,
            operator: &app.config.operator,
            workspace: &workspace.root,
            wiring_mode: wiring_mode.as_deref(),
            mock_base: &mock_base,
            readonly: app.readonly,
            redactor: redactor.clone(),
        },
        &mut pollers,
        tx.clone(),
    );
    calls::spawn_oncall(
        &app.config,
        workspace.root.clone(),
        wiring_mode.as_deref(),
        &mock_base,
        tx.clone(),
    );
    let send_messages = if app.readonly {
        Default::default()
    } else {
        calls::spawn_sender(
            workspace.root.clone(),
            std::sync::Arc::new(app.config.clone()),
            redactor.clone(),
            demo_stand_ins.then(|| mock_base.clone()),
            tx.clone(),
        )
    };
    let rt = Runtime {
        store,
        pollers,
        mock_base,
        wiring_mode,
        redactor,
        stop_steps: Default::default(),
        send_messages,
        team: team.map(|t| t.shared()),
    };

    let mut effects = RuntimeEffects {
        rt,
        tx: tx.clone(),
        writer,
        store_released: false,
        input,
    };
    drop(tx);
    tracing::info!(workspace = %workspace.root.display(), "screen up");
    let result = event_loop::run(
        &mut app,
        &mut term,
        &mut rx,
        &mut effects,
        event_loop::Until::Quit,
    )
    .await;
    effects.rt.store.shutdown();
    match &result {
        Ok(()) => tracing::info!("screen closed"),
        Err(e) => tracing::error!(error = %e, "screen stopped"),
    }
    result
}

/// The team thread's news into the loop: its state to the status bar, its
/// notices as notices, and lines from other hosts to the store thread at once.
fn hook_team(
    team: &crate::store::team::Team,
    store: &store_worker::StoreHandle,
    tx: &mpsc::UnboundedSender<Msg>,
) {
    use crate::store::team::{Event, Status};
    let badge = |s: &Status| {
        s.badge().map(|text| crate::app::TeamBadge {
            text,
            alarm: s.alarm(),
        })
    };
    let (tx, wake) = (tx.clone(), store.waker());
    let _ = tx.send(Msg::Team(badge(&team.status())));
    team.hook(Box::new(move |e| match e {
        Event::Status(s) => {
            let _ = tx.send(Msg::Team(badge(&s)));
        }
        Event::Pulled => wake(),
        Event::Notice(n) => {
            let _ = tx.send(Msg::Notice(Ok(n)));
        }
    }));
}

/// The runtime's side of the loop: effects to the store thread, tasks and
/// threads; each frame to the terminal in one write.
struct RuntimeEffects {
    rt: Runtime,
    tx: mpsc::UnboundedSender<Msg>,
    writer: terminal::FrameWriter,
    store_released: bool,
    input: input::InputControl,
}

impl event_loop::Effects for RuntimeEffects {
    fn carry_out(&mut self, app: &mut App, effect: Effect) {
        use std::io::Write;
        let tmux = std::env::var_os("TMUX").is_some();
        match &effect {
            Effect::Notify(n) => {
                let cfg = &app.config.notify;
                let bytes = crate::domain::notify::escape_sequences(n, cfg.bell, cfg.desktop, tmux);
                let _ = self.writer.write_all(bytes.as_bytes());
                let _ = self.writer.commit();
                return;
            }
            Effect::Copy(text) => {
                tracing::debug!(bytes = text.len(), "clipboard");
                let bytes = osc::clipboard(text, tmux);
                let _ = self.writer.write_all(bytes.as_bytes());
                let _ = self.writer.commit();
                return;
            }
            Effect::OpenLink(url) => {
                if let Err(e) = osc::open_in_browser(url) {
                    let _ = self.tx.send(Msg::Notice(Err(e)));
                }
                return;
            }
            Effect::EditExternally(text) => {
                tracing::info!(editor = %external::editor_command().0, "note to the editor");
                let _ = self.writer.commit();
                // The terminal is the editor's until it exits; the other
                // tasks go on on the runtime's other thread.
                let result = tokio::task::block_in_place(|| {
                    external::edit(text, &self.input, app.config.mouse)
                });
                let _ = self.tx.send(Msg::NoteEdited(result));
                return;
            }
            Effect::Suspend => {
                tracing::info!("suspended");
                let _ = self.writer.commit();
                if let Err(e) = terminal::suspend() {
                    let _ = self
                        .tx
                        .send(Msg::Notice(Err(format!("resuming the screen: {e}"))));
                }
                return;
            }
            _ => {}
        }
        carry_out(app, effect, &self.rt, &self.tx);
    }

    fn overlay(&mut self, bytes: &str) {
        use std::io::Write;
        let _ = self.writer.write_all(bytes.as_bytes());
    }

    fn frame_drawn(&mut self) -> std::io::Result<()> {
        self.writer.commit()?;
        if !self.store_released {
            // The first frame is up: the store may read the rest now.
            self.rt.store.release();
            self.store_released = true;
        }
        Ok(())
    }
}

fn carry_out(app: &mut App, effect: Effect, rt: &Runtime, tx: &mpsc::UnboundedSender<Msg>) {
    let store = &rt.store;
    {
        match effect {
            Effect::RunStep {
                list,
                step,
                command,
                timeout,
            } => {
                // A command may run for minutes: its own thread, never the loop's.
                let (tx, cwd) = (tx.clone(), store.workspace().to_path_buf());
                let (redactor, stop) = (rt.redactor.clone(), rt.stop_steps.clone());
                std::thread::spawn(move || {
                    let outcome = crate::ops::checklists::run_step(
                        &command,
                        &cwd,
                        Duration::from_secs(timeout),
                        Some(&stop),
                        &redactor,
                    );
                    let _ = tx.send(Msg::StepRan {
                        list,
                        step,
                        outcome,
                    });
                });
            }
            // A command for its output may run for minutes: its own
            // thread, then the store writes what it printed.
            Effect::Attach {
                request,
                incident_id,
                source,
            } if source.starts_with('!') => {
                let cwd = store.workspace().to_path_buf();
                let to_store = store.sender();
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let command = source[1..].trim().to_string();
                    match crate::ops::evidence::run_command(&command, &cwd) {
                        Ok((output, note)) => to_store(Effect::AttachOutput {
                            request,
                            incident_id,
                            command,
                            output,
                            note,
                        }),
                        Err(e) => {
                            let _ = tx.send(Msg::Saved {
                                request,
                                result: Err(e),
                            });
                        }
                    }
                });
            }
            Effect::LoadTheme(name) => {
                let tx = tx.clone();
                tokio::task::spawn_blocking(move || {
                    let dir = crate::settings::user_config_dir().map(|d| d.join("themes"));
                    let (theme, problems) = crate::theme::resolve(
                        &name,
                        dir.as_deref(),
                        crate::theme::truecolor_from_env(),
                    );
                    let _ = tx.send(Msg::ThemeLoaded(theme, problems));
                });
            }
            Effect::Quit => app.quit = true,
            Effect::Reconnect => {
                if let Some(t) = &rt.team {
                    t.reconnect();
                }
            }
            Effect::StopSteps => {
                rt.stop_steps
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                // Each stops within the grace period and reports; should one
                // not, the app leaves anyway after this.
                let tx = tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(STOP_STEPS_PATIENCE).await;
                    let _ = tx.send(Msg::Hangup);
                });
            }
            Effect::PollNow(name) => rt.pollers.poll_now(name.as_deref()),
            Effect::SendMessages => rt.send_messages.notify_one(),
            Effect::Notify(_)
            | Effect::Copy(_)
            | Effect::OpenLink(_)
            | Effect::Suspend
            | Effect::EditExternally(_) => {}
            Effect::Verify(name) => {
                if let Some(cfg) = app
                    .config
                    .integrations
                    .iter()
                    .find(|i| i.name == name)
                    .cloned()
                {
                    let ctx = crate::integrations::probes::ProbeContext {
                        mode: cfg.effective_mode(rt.wiring_mode.as_deref()),
                        mock_base: rt.mock_base.clone(),
                    };
                    let (tx, redactor) = (tx.clone(), rt.redactor.clone());
                    tokio::spawn(async move {
                        let steps = crate::ops::health::verify(&cfg, &ctx, &redactor).await;
                        let _ = tx.send(Msg::Verified { name, steps });
                    });
                }
            }
            // Everything else is a file effect: the store thread, in order.
            file_effect => store.send(file_effect),
        }
    }
}

/// The clock ticks once a second, on the second; it also watches for a
/// terminal that hung up without a signal.
fn spawn_clock(tx: mpsc::UnboundedSender<Msg>) {
    tokio::spawn(async move {
        loop {
            let now = chrono::Utc::now();
            let to_next = 1_000 - now.timestamp_subsec_millis().min(999) as u64;
            tokio::time::sleep(Duration::from_millis(to_next)).await;
            if terminal::hung_up() {
                let _ = tx.send(Msg::Hangup);
                return;
            }
            if tx.send(Msg::Tick(chrono::Utc::now())).is_err() {
                return;
            }
        }
    });
}

fn spawn_signals(tx: mpsc::UnboundedSender<Msg>) {
    use tokio::signal::unix::{SignalKind, signal};
    tokio::spawn(async move {
        let (Ok(mut hup), Ok(mut term)) = (
            signal(SignalKind::hangup()),
            signal(SignalKind::terminate()),
        ) else {
            return;
        };
        tokio::select! {
            _ = hup.recv() => {}
            _ = term.recv() => {}
        }
        let _ = tx.send(Msg::Hangup);
    });
}
