//! The report of a timeline: the estate at a glance, the log as a time line (each
//! entry in the words of `timeline`), every grant's window drawn as a bar over the
//! day, where each advertisement and push stands at the end, and the rule index.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{escape, glance, link_rules, page, rule_index};
use crate::model::{AccountId, MachineId};
use crate::timeline::{Entry, Time, TimelineFile, entry_text, format_time};

/// A grant's window: from its addition to its removal, or the end of the day.
struct Window {
    client: MachineId,
    account: AccountId,
    from: Time,
    to: Time,
    open: bool,
}

fn windows(t: &crate::timeline::Timeline<'_>, until: Time) -> Vec<Window> {
    let mut open: BTreeMap<(MachineId, AccountId), Time> = BTreeMap::new();
    let mut out = Vec::new();
    for l in t.log() {
        let (Entry::Grant { account, added, .. }, Some(client)) = (l.entry, l.client) else {
            continue;
        };
        if added {
            open.entry((client, account)).or_insert(l.at);
        } else if let Some(from) = open.remove(&(client, account)) {
            out.push(Window {
                client,
                account,
                from,
                to: l.at,
                open: false,
            });
        }
    }
    for ((client, account), from) in open {
        out.push(Window {
            client,
            account,
            from,
            to: until.max(from),
            open: true,
        });
    }
    out.sort_by_key(|w| (w.from, w.client, w.account));
    out
}

/// The grant windows as an SVG of bars over the day.
fn bars(e: &crate::model::Estate, list: &[Window], start: Time, end: Time) -> String {
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
        let name = format!(
            "{} on {}",
            e.qualified_name(w.account),
            e.machine(w.client).name
        );
        let _ = write!(
            svg,
            "<g><title>{} from {} to {}{}</title><text x=\"0\" y=\"{:.0}\">{}</text><rect class=\"bar\" x=\"{x0:.1}\" y=\"{:.0}\" width=\"{:.1}\" height=\"14\" rx=\"3\"/></g>",
            escape(&name),
            format_time(w.from),
            format_time(w.to),
            if w.open { " (still in force)" } else { "" },
            y + 11.0,
            escape(&name),
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
    body.push_str("<h3>Grant windows</h3>");
    if list.is_empty() {
        body.push_str("<p>No grant was in force during the day.</p>");
    } else {
        let start = list.iter().map(|w| w.from).min().unwrap_or(0);
        let end = t.now().max(file.until).max(start + 1);
        let _ = write!(
            body,
            "<div class=\"timeline-bars\">{}</div>",
            bars(e, &list, start, end)
        );
    }
    body.push_str("<h3>At the end</h3><pre class=\"mono\">");
    let end = crate::timeline::log_text(e, &t);
    let tail = end.split("\nat ").nth(1).unwrap_or("");
    let _ = write!(body, "at {}", escape(tail));
    body.push_str("</pre></section>");
    body.push_str(&rule_index());
    let nav = [
        ("estate", "Estate"),
        ("timeline", "The day"),
        ("rules", "Rules"),
    ];
    page(title, &nav, &body)
}
