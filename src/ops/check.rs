//! `check-config`: everything the app loads from the workspace, read the
//! way the app reads it, with every problem named (file, line, what).

use std::path::Path;

/// The problems in the workspace's files: checklists, approval records,
/// the incident files and the outbox. The config, keymap and theme are
/// checked where the settings are loaded.
pub fn workspace_problems(workspace: &Path) -> Vec<String> {
    let mut out: Vec<String> = crate::store::checklists::load(workspace)
        .1
        .iter()
        .map(|p| p.to_string())
        .collect();
    let approvals = crate::store::approvals::ApprovalStore::new(workspace);
    match approvals.load() {
        Ok(loaded) => out.extend(loaded.bad.iter().map(|b| b.to_string())),
        Err(e) => out.push(format!("{}: cannot read: {e}", approvals.dir().display())),
    }
    match crate::store::IncidentStore::new(workspace).load() {
        Ok((_, issues)) => out.extend(issues.iter().map(|i| i.to_string())),
        Err(e) => out.push(format!(
            "{}: cannot read: {e}",
            workspace.join("incidents").display()
        )),
    }
    out.extend(
        crate::store::contacts::load(workspace)
            .1
            .iter()
            .map(|p| p.to_string()),
    );
    let messages = crate::store::messages::MessageStore::new(workspace);
    match messages.read() {
        Ok((_, issues)) => out.extend(issues.iter().map(|i| i.to_string())),
        Err(e) => out.push(format!("{}: cannot read: {e}", messages.path().display())),
    }
    let outbox = crate::store::remote::OutboxStore::new(workspace);
    match outbox.read() {
        Ok((_, issues)) => out.extend(issues.iter().map(|i| i.to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => out.push(format!("{}: cannot read: {e}", outbox.path().display())),
    }
    out
}
