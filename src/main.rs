use clap::Parser;
use shiftdeck::app::App;
use shiftdeck::cli::{Cli, Command, exit};
use shiftdeck::settings::{self, Overrides};
use shiftdeck::store::Workspace;

/// `println!`/`eprintln!` through the CLI's edge (escaped, quiet on a closed pipe).
macro_rules! outln {
    ($($arg:tt)*) => { shiftdeck::cli::out::stdout(&format!("{}\n", format_args!($($arg)*))) };
}
macro_rules! errln {
    ($($arg:tt)*) => { shiftdeck::cli::out::stderr(&format!("{}\n", format_args!($($arg)*))) };
}

fn main() {
    let cli = Cli::parse();
    std::process::exit(run(cli));
}

fn run(cli: Cli) -> i32 {
    // What needs no workspace: the shell's completions and the man page.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(*shell, &mut cmd, "shiftdeck", &mut std::io::stdout());
            return exit::OK;
        }
        Some(Command::Man) => {
            use clap::CommandFactory;
            let page = clap_mangen::Man::new(Cli::command());
            return match page.render(&mut std::io::stdout()) {
                Ok(()) => exit::OK,
                Err(e) => {
                    errln!("error: writing the man page: {e}");
                    exit::FAILURE
                }
            };
        }
        _ => {}
    }
    let log = shiftdeck::log::init();
    if let Some(Err(e)) = &log {
        errln!("warning: SHIFTDECK_LOG: {e} (no debug log is kept)");
    }
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        command = cli.command.as_ref().map(command_name).unwrap_or("screen"),
        "start"
    );
    let overrides = Overrides {
        theme: cli.theme.clone(),
        keymap: cli.keymap.clone(),
    };
    let demo_dir = cli
        .demo
        .then(|| std::env::temp_dir().join(format!("shiftdeck-demo-{}", std::process::id())));
    let root = match (&demo_dir, Workspace::locate(cli.workspace.as_deref())) {
        (Some(d), _) => d.clone(),
        (None, Ok(r)) => r,
        (None, Err(e)) => {
            errln!("error: {e}");
            return exit::FAILURE;
        }
    };
    // A path named on purpose (the flag, SHIFTDECK_WORKSPACE) that is not a
    // workspace is refused, not quietly made into an empty one: a typo
    // would read as "no active incidents".
    if demo_dir.is_none()
        && cli.workspace.is_some()
        && !cli.init
        && let Some(why) = Workspace::not_a_workspace(&root)
        && !(cli.command.is_none() && !cli.readonly && ask_to_create(&why, &root))
    {
        errln!("error: {why}");
        errln!(
            "check the path, or pass --init to create a workspace there (shiftdeck --workspace {} --init)",
            root.display()
        );
        return exit::NOT_A_WORKSPACE;
    }
    let workspace = match open_workspace(&root, &cli, demo_dir.is_some()) {
        Ok(ws) => ws,
        Err(e) => {
            errln!("error: workspace {}: {e}", root.display());
            return exit::FAILURE;
        }
    };
    let settings = settings::load(&workspace.config_path(), &overrides);
    let config_for_close = settings.config.clone();
    let acts = matches!(
        cli.command,
        Some(
            Command::Incidents { .. }
                | Command::Checklists { .. }
                | Command::Approvals { .. }
                | Command::Journal { .. }
                | Command::Handover { .. }
                | Command::Report { .. }
        )
    );
    // The team store, for every command that reads or writes the records
    // (not under --demo, which is a throw-away copy of its own).
    let uses_store = acts || matches!(cli.command, Some(Command::Messages { .. }) | None);
    let team = if !uses_store || cli.demo {
        None
    } else if cli.command.is_none() {
        // The screen never waits for it: the status bar says how it goes.
        match shiftdeck::store::team::start_for(&workspace.root, &settings.config, Box::new(|_| {}))
        {
            Ok(t) => t,
            Err(e) => {
                errln!("error: {e}");
                return exit::USAGE;
            }
        }
    } else {
        match shiftdeck::cli::db::open_team(&workspace.root, &settings.config) {
            Ok(t) => t,
            Err(code) => return code,
        }
    };
    if acts && !cli.readonly {
        // Finish what a crash left half done (an action without its journal line).
        let operator = settings.config.operator.clone();
        let mut log = shiftdeck::ops::OpenShift::new(&workspace.root, &operator);
        for said in shiftdeck::ops::recover(&workspace.root, &operator, &mut log) {
            errln!("note: {said}");
        }
    }
    // A command on the demo talks to the demo's stand-ins, as its screen does.
    if demo_dir.is_some()
        && cli.command.is_some()
        && let Err(e) = shiftdeck::cli::remote::serve_demo_stand_ins(demo_stand_ins())
    {
        errln!("warning: the demo's stand-ins: {e}");
    }
    let code = match cli.command {
        Some(Command::CheckConfig) => check_config(&workspace, &settings),
        Some(Command::Completions { .. } | Command::Man) => exit::OK,
        Some(Command::Incidents { cmd }) => {
            for p in &settings.problems {
                errln!("warning: {p}");
            }
            shiftdeck::cli::run_incidents(&workspace.root, &settings.config, cli.readonly, cmd)
        }
        Some(Command::Probe { json, .. }) => {
            shiftdeck::cli::probe::probe_once(&settings.config, json)
        }
        Some(Command::MockEndpoints { addr, fault }) => {
            shiftdeck::cli::probe::mock_endpoints(&addr, &fault)
        }
        Some(Command::Checklists { cmd }) => {
            shiftdeck::cli::checklists::run(&workspace.root, &settings.config, cli.readonly, cmd)
        }
        Some(Command::Approvals { cmd }) => {
            shiftdeck::cli::approvals::run(&workspace.root, &settings.config, cli.readonly, cmd)
        }
        Some(Command::Journal { cmd }) => {
            shiftdeck::cli::journal::run(&workspace.root, &settings.config, cli.readonly, cmd)
        }
        Some(Command::Handover {
            json,
            publish,
            email,
            summary,
            no_probe,
            ..
        }) => shiftdeck::cli::journal::handover(
            &workspace.root,
            &settings.config,
            cli.readonly,
            shiftdeck::cli::journal::HandoverArgs {
                json,
                publish,
                email,
                summary: &summary,
                probe: !no_probe,
            },
        ),
        Some(Command::Report { cmd }) => {
            shiftdeck::cli::report::run(&workspace.root, &settings.config, cmd, cli.ascii)
        }
        Some(Command::Contacts { json }) => {
            shiftdeck::cli::contacts::contacts(&workspace.root, json)
        }
        Some(Command::Oncall { json }) => {
            shiftdeck::cli::contacts::oncall(&workspace.root, &settings.config, json)
        }
        Some(Command::Db { cmd }) => {
            shiftdeck::cli::db::run(&workspace.root, &settings.config, cmd)
        }
        Some(Command::Messages { send, json }) => shiftdeck::cli::messages::run(
            &workspace.root,
            &settings.config,
            cli.readonly,
            send,
            json,
        ),
        None => run_tui(
            workspace,
            settings,
            cli.readonly,
            cli.demo,
            cli.ascii,
            cli.notify,
            team.as_ref(),
        ),
    };
    if let Some(t) = team {
        shiftdeck::cli::db::close_team(Some(t), &config_for_close);
    }
    if let Some(d) = demo_dir {
        let _ = std::fs::remove_dir_all(d);
    }
    code
}

/// The full screen asks, on a terminal, before it creates a workspace.
fn ask_to_create(why: &str, root: &std::path::Path) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return false;
    }
    errln!("{why}.");
    let _ = write!(
        std::io::stderr(),
        "Create a new workspace at {}? [y/N] ",
        shiftdeck::domain::sanitize::line(&root.display().to_string())
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim(), "y" | "Y" | "yes")
}

fn open_workspace(root: &std::path::Path, cli: &Cli, demo: bool) -> std::io::Result<Workspace> {
    if demo {
        Workspace::create_demo(root, chrono::Utc::now())
    } else if cli.readonly {
        Workspace::open_existing(root)
    } else {
        Workspace::open_or_create(root)
    }
}

fn check_config(workspace: &Workspace, settings: &settings::Settings) -> i32 {
    outln!("config   {}", workspace.config_path().display());
    outln!("keymap   {}", settings.keymap.name);
    outln!("theme    {}", settings.theme.name);
    let mut problems: Vec<String> = settings.problems.iter().map(|p| p.to_string()).collect();
    problems.extend(shiftdeck::ops::check::workspace_problems(&workspace.root));
    if problems.is_empty() {
        outln!("ok: no problems");
        exit::OK
    } else {
        for p in &problems {
            errln!("{p}");
        }
        errln!(
            "{}; shiftdeck runs on the defaults for these and leaves the files as they are",
            shiftdeck::domain::format::plural(problems.len(), "problem", "problems")
        );
        exit::BAD_CONFIG
    }
}

fn ascii_wanted(flag: bool) -> bool {
    if flag || std::env::var("TERM").is_ok_and(|t| t == "linux") {
        return true;
    }
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
    match locale {
        Some(l) => {
            let l = l.to_ascii_lowercase();
            !(l.contains("utf-8") || l.contains("utf8"))
        }
        None => false,
    }
}

/// The demo's own stand-ins of the six APIs, with two faults so the Health
/// pane has something to say: Splunk's queues full, Slack's webhook revoked.
fn demo_stand_ins() -> shiftdeck::integrations::mock::Mocks {
    let faults = [
        ("splunk", shiftdeck::integrations::mock::Fault::Status(503)),
        // The webhook the Slack integration probes is revoked; the one
        // status updates go to still works.
        (
            "slack/services/T000",
            shiftdeck::integrations::mock::Fault::Status(404),
        ),
    ];
    shiftdeck::integrations::mock::Mocks::new(
        faults
            .into_iter()
            .map(|(k, f)| (k.to_string(), f))
            .collect(),
    )
}

fn run_tui(
    workspace: Workspace,
    settings: settings::Settings,
    readonly: bool,
    demo: bool,
    ascii: bool,
    notify: bool,
    team: Option<&shiftdeck::store::team::Team>,
) -> i32 {
    if let Some(why) = shiftdeck::tui::terminal::unsuitable() {
        errln!("{why}");
        return exit::FAILURE;
    }
    let _ = color_eyre::install();
    shiftdeck::tui::terminal::install_panic_hook();
    let mut app = App::new(
        settings.config,
        settings.keymap,
        settings.theme,
        chrono::Utc::now(),
    );
    app.readonly = readonly;
    app.demo = demo;
    app.ascii = ascii_wanted(ascii);
    app.add_problems(settings.problems.iter().map(|p| p.to_string()));
    // SAFETY: isatty only reads the descriptor's state.
    let tty = unsafe { libc::isatty(1) } == 1;
    app.calls.ringing = shiftdeck::app::whocall::ringing(demo, notify, tty);
    let mocks = demo.then(demo_stand_ins);
    match shiftdeck::tui::run(app, workspace, mocks, team) {
        Ok(()) => exit::OK,
        Err(e) => {
            shiftdeck::tui::terminal::restore();
            errln!("error: {e}");
            exit::FAILURE
        }
    }
}

/// A command's name for the debug log (never its arguments: a note's text).
fn command_name(c: &Command) -> &'static str {
    match c {
        Command::Incidents { .. } => "incidents",
        Command::Checklists { .. } => "checklists",
        Command::Approvals { .. } => "approvals",
        Command::Journal { .. } => "journal",
        Command::Handover { .. } => "handover",
        Command::Report { .. } => "report",
        Command::Probe { .. } => "probe",
        Command::MockEndpoints { .. } => "mock-endpoints",
        Command::CheckConfig => "check-config",
        Command::Completions { .. } => "completions",
        Command::Man => "man",
        _ => "other",
    }
}
