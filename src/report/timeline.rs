//! The report of a timeline: the estate at a glance, the log as a time line (each
//! entry in the words of `timeline`), every grant's window drawn as a bar over the
//! day, where each advertisement and push stands at the end, and the rule index.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{escape, glance, link_rules, page, rule_index};
use crate::model::{AccountId, MachineId};
use crate::timeline::{Entry, Time, TimelineFile, entry_text, format_time};

/// A window of the day: a grant (an account in a client's Administrators), a lockout
/// (an account), or an outage (a server), from its start to its end or the day's end.
struct Window {
    label: String,
    from: Time,
    to: Time,
    open: bool,
    class: &'static str,
}

fn windows(t: &crate::timeline::Timeline<'_>, until: Time) -> Vec<Window> {
    use crate::timeline::Event;
    let e = t.estate();
    // Open windows by what they concern: (kind, client or server, account).
    let mut open: BTreeMap<(u8, Option<MachineId>, Option<AccountId>), Time> = BTreeMap::new();
    let mut out = Vec::new();
    let close = |key: (u8, Option<MachineId>, Option<AccountId>),
                 start: bool,
                 at: Time,
                 open: &mut BTreeMap<_, Time>| {
        if start {
            open.entry(key).or_insert(at);
            return None;
        }
        open.remove(&key).map(|from| (key, from, at))
    };
    let mut ended = Vec::new();
    for l in t.log() {
        let found = match (l.entry, l.client) {
            (Entry::Grant { account, added, .. }, Some(client)) => {
                close((0, Some(client), Some(account)), added, l.at, &mut open)
            }
            (Entry::Lockout { account, locked }, _) => {
                close((1, None, Some(account)), locked, l.at, &mut open)
            }
            (Entry::Event(Event::ServerDown { server }), _) => {
                close((2, Some(server), None), true, l.at, &mut open)
            }
            (Entry::Event(Event::ServerUp { server }), _) => {
                close((2, Some(server), None), false, l.at, &mut open)
            }
            _ => None,
        };
        ended.extend(found.map(|(k, from, to)| (k, from, to, false)));
    }
    ended.extend(
        open.into_iter()
            .map(|(k, from)| (k, from, until.max(from), true)),
    );
    for ((kind, machine, account), from, to, still) in ended {
        let label = match (kind, machine, account) {
            (0, Some(m), Some(a)) => format!(
                "{} in Administrators of {}",
                e.qualified_name(a),
                e.machine(m).name
            ),
            (1, _, Some(a)) => format!("{} locked out", e.qualified_name(a)),
            (_, Some(m), _) => format!("{} not answering", e.machine(m).name),
            _ => continue,
        };
        out.push(Window {
            label,
            from,
            to,
            open: still,
            class: ["bar grant", "bar lockout", "bar outage"][usize::from(kind.min(2))],
        });
    }
    out.sort_by(|a, b| (a.from, &a.label).cmp(&(b.from, &b.label)));
    out
}

/// The grant windows as an SVG of bars over the day.
fn bars(list: &[Window], start: Time, end: Time) -> String {
    let span = (end.saturating_sub(start)).max(1) as f64;
    let (label, width, row) = (260.0, 900.0, 22.0);
    // Room after the bars for the end label.
    let height = list.len() as f64 * row + 30.0;
    let total = label + width + 70.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"{height}\" viewBox=\"0 0 {total} {height}\" role=\"img\" aria-label=\"grant windows\">"
    );
    let _ = write!(
        svg,
        "<text x=\"{label}\" y=\"12\">{}</text><text x=\"{}\" y=\"12\" text-anchor=\"end\">{}</text>",
        format_time(start),
        label + width,
        format_time(end)
    );
    for (i, w) in list.iter().enumerate() {
        let y = 20.0 + i as f64 * row;
        let x0 = label + (w.from.saturating_sub(start)) as f64 / span * width;
        let x1 = label + (w.to.saturating_sub(start)) as f64 / span * width;
        let name = &w.label;
        let _ = write!(
            svg,
            "<g><title>{} from {} to {}{}</title><text x=\"0\" y=\"{:.0}\">{}</text><rect class=\"{}\" x=\"{x0:.1}\" y=\"{:.0}\" width=\"{:.1}\" height=\"14\" rx=\"3\"/></g>",
            escape(name),
            format_time(w.from),
            format_time(w.to),
            if w.open { " (still in force)" } else { "" },
            y + 11.0,
            escape(name),
            w.class,
            y,
            (x1 - x0).max(2.0)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The report of a timeline file.
pub fn timeline_report(file: &TimelineFile, title: &str) -> String {
    let t = file.replay();
    let e = t.estate();
    let mut body = glance(&file.scenario);
    body.push_str("<section id=\"timeline\"><h2>The day</h2>");
    if let Some(d) = &file.description {
        let _ = write!(body, "<p>{}</p>", link_rules(d));
    }
    let _ = write!(
        body,
        "<p>{} event(s), {} log entr(ies), until {}.</p><ol class=\"log\">",
        file.events.len(),
        t.log().len(),
        format_time(file.until)
    );
    for (i, l) in t.log().iter().enumerate() {
        let _ = write!(
            body,
            "<li id=\"log-{i}\">{}</li>",
            link_rules(&entry_text(e, l))
        );
    }
    body.push_str("</ol>");
    let list = windows(&t, t.now().max(file.until));
    body.push_str("<h3>Grant windows</h3><p class=\"legend\"><span style=\"color:var(--secret)\">a grant</span><span style=\"color:var(--high)\">a lockout</span><span style=\"color:var(--other)\">a server not answering</span></p>");
    if list.is_empty() {
        body.push_str("<p>No grant was in force during the day.</p>");
    } else {
        let start = list.iter().map(|w| w.from).min().unwrap_or(0);
        let end = t.now().max(file.until).max(start + 1);
        let _ = write!(
            body,
            "<div class=\"timeline-bars\">{}</div>",
            bars(&list, start, end)
        );
    }
    body.push_str("<h3>At the end</h3><pre class=\"mono\">");
    let end = crate::timeline::log_text(e, &t);
    let tail = end.split("\nat ").nth(1).unwrap_or("");
    let _ = write!(body, "at {}", escape(tail));
    body.push_str("</pre></section>");
    // What the estate of the day's end exposes.
    let x = crate::exposure::Exposure::build(e, t.state());
    let list = x.findings(e);
    let drawn = super::graph::draw(e, &x, &list);
    body.push_str(&super::findings(e, &x, &list, &drawn).replacen(
        "<h2>Findings</h2>",
        "<h2>Findings at the end of the day</h2>",
        1,
    ));
    body.push_str(&super::graph_section(&drawn, drawn.node_ids.len()));
    body.push_str(&rule_index());
    let nav = [
        ("estate", "Estate"),
        ("timeline", "The day"),
        ("findings", "Findings"),
        ("graph", "Graph"),
        ("rules", "Rules"),
    ];
    page(title, &nav, &body)
}
