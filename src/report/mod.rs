//! The report: one self-contained HTML page of an estate (or a timeline) to look at, with
//! nothing fetched from the network. It owns the page's layout only: every sentence on
//! it comes from the renderings the text and JSON outputs use (a decision's summary, a
//! trace's steps, a why-not candidate, a finding's message and tag, a push try, a
//! timeline entry, a rule's `--explain` lines), so a decision or a rule has one wording.
//! The same input gives the same bytes.
//!
//! - the estate at a glance, the decisions (a `<details>` each, or, on a large estate,
//!   one a decision class and advertisement with its clients collapsed), their traces and
//!   why-not candidates, client push, the findings with their paths, the exposure graph
//!   ([`graph`]), a timeline's log and grant windows, and the rule index;
//! - `assets`: the inline style sheet and the script, which only filters and
//!   highlights.

mod assets;
pub mod graph;
mod timeline;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::Scenario;
use crate::engine::{Context, Outcome, Resolution, resolve, why_not};
use crate::exposure::export::{edge_text, finding_message, tag_text};
use crate::exposure::{Evidence, Exposure, Finding};
use crate::model::Estate;
use crate::render::{estate_summary, step_texts, summary, summary_class, why_not_lines};
use crate::rules::{CATALOG, RuleId, explain_lines};

pub use timeline::timeline_report;

/// Above this many decisions, the page groups them by advertisement and decision class.
pub const GROUP_ABOVE: usize = 400;

/// `&`, `<`, `>` and quotes escaped for HTML text and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A rule id linked to its entry in the rule index.
fn rule_link(rule: RuleId) -> String {
    format!("<a class=\"rule mono\" href=\"#rule-{rule}\">{rule}</a>")
}

/// Text in which every rule id of the catalog written in brackets or parentheses, alone
/// or in a list (`[A1]`, `(CM-PUSH-RETRY)`, `[X, Y, Z]`), becomes a link.
fn link_rules(text: &str) -> String {
    let escaped = escape(text);
    let mut out = String::with_capacity(escaped.len() + 64);
    let mut depth = 0usize;
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String, inside: bool| {
        match RuleId::parse(token) {
            Some(r) if inside => out.push_str(&rule_link(r)),
            _ => out.push_str(token),
        }
        token.clear();
    };
    for c in escaped.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            token.push(c);
            continue;
        }
        flush(&mut token, &mut out, depth > 0);
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push(c);
    }
    flush(&mut token, &mut out, depth > 0);
    out
}

/// The page around `body`, with its title and the sections in the navigation.
fn page(title: &str, nav: &[(&str, &str)], body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 8192);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = write!(out, "<title>{}</title>", escape(title));
    let _ = write!(out, "<style>{}</style></head><body>", assets::STYLE);
    let _ = write!(
        out,
        "<header><h1>{}</h1><p class=\"muted\">sms-client-accounts {}: what runs as whom, and what leaks</p><nav aria-label=\"sections\"><ul>",
        escape(title),
        env!("CARGO_PKG_VERSION")
    );
    for (id, label) in nav {
        let _ = write!(out, "<li><a href=\"#{id}\">{label}</a></li>");
    }
    out.push_str("</ul></nav></header><main>");
    out.push_str(body);
    out.push_str("</main><footer><p class=\"muted\">Generated offline from the scenario; the same input gives the same page.</p></footer>");
    let _ = writeln!(out, "<script>{}</script></body></html>", assets::SCRIPT);
    out
}

/// The estate at a glance: the description, the estate in the words of `validate`,
/// domains and trusts, machines by platform, the site's accounts, the warnings.
fn glance(scenario: &Scenario) -> String {
    let e = &scenario.estate;
    let mut out = String::from("<section id=\"estate\"><h2>The estate</h2>");
    if let Some(d) = &scenario.description {
        let _ = write!(out, "<p>{}</p>", link_rules(d));
    }
    let _ = write!(
        out,
        "<p>product: {}</p>",
        match e.site().product {
            crate::model::Product::Sms2 => "SMS 2.0 (Q224286)",
            crate::model::Product::ConfigMgr => "Configuration Manager (current branch)",
        }
    );
    for line in estate_summary(e) {
        let _ = write!(out, "<p>{}</p>", escape(line.trim()));
    }
    out.push_str("<h3>Domains and trusts</h3><ul>");
    for (i, d) in e.domains().iter().enumerate() {
        let id = crate::model::DomainId::from_index(i);
        let trusted: Vec<&str> = e
            .domain_ids()
            .filter(|&t| t != id && scenario.state.trusts(id, t))
            .map(|t| e.domain(t).name.as_str())
            .collect();
        let _ = write!(
            out,
            "<li>{}{}</li>",
            escape(&d.name),
            if trusted.is_empty() {
                String::new()
            } else {
                format!(": trusts {}", escape(&trusted.join(", ")))
            }
        );
    }
    out.push_str("</ul><h3>Machines by platform</h3><table class=\"counts\"><tr><th>platform</th><th>machines</th><th>clients</th></tr>");
    let mut by: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for m in e.machines() {
        let c = by
            .entry(crate::render::platform_name(m.platform))
            .or_default();
        c.0 += 1;
        c.1 += usize::from(m.sms_client);
    }
    for (p, (n, c)) in &by {
        let _ = write!(out, "<tr><td>{p}</td><td>{n}</td><td>{c}</td></tr>");
    }
    out.push_str("</table>");
    let accounts = site_accounts(e);
    if !accounts.is_empty() {
        out.push_str("<h3>The site's accounts</h3><ul>");
        for (what, names) in accounts {
            let _ = write!(out, "<li>{what}: {}</li>", escape(&names.join(", ")));
        }
        out.push_str("</ul>");
    }
    out.push_str(&site_settings(e));
    out.push_str("<h3>Assumptions in force</h3>");
    if e.site().product == crate::model::Product::ConfigMgr {
        out.push_str("<p>The switchable assumptions of a scenario file are SMS 2.0's; a Configuration Manager site's decisions and findings rest on its <code>X-CM-</code> rules, named in each trace and finding, and each finding's provenance says which it assumes.</p>");
    } else {
        out.push_str("<ul>");
        for (rule, key, value) in assumptions(e.assumptions()) {
            let _ = write!(
                out,
                "<li>{} <code>{key}</code>: {value}</li>",
                rule_link(rule)
            );
        }
        out.push_str("</ul>");
    }
    if !scenario.warnings.is_empty() {
        out.push_str("<h3>Warnings</h3><ul>");
        for w in &scenario.warnings {
            let _ = write!(out, "<li>{}</li>", link_rules(&w.to_string()));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    out
}

/// The site's client push and PXE settings and its task sequences' secret variables.
fn site_settings(e: &Estate) -> String {
    let mut items = Vec::new();
    if let Some(push) = &e.site().configmgr.client_push {
        let targets = crate::engine::push::push_targets(e).len();
        items.push(format!(
            "client push: {}",
            link_rules(&crate::render::push_site_line(e, push, targets))
        ));
    }
    let osd = &e.site().configmgr.osd;
    for p in &osd.pxe {
        let segments: Vec<&str> = p
            .segments
            .iter()
            .map(|&k| osd.segment_name(k as u32))
            .collect();
        items.push(format!(
            "PXE on {}: password {}, unknown computer support {}, network segments {}",
            escape(&e.machine(p.server).name),
            match p.password {
                crate::model::osd::PxePassword::None => "none",
                crate::model::osd::PxePassword::Set => "set",
                crate::model::osd::PxePassword::Weak => "set, marked weak",
            },
            if p.unknown_computers { "on" } else { "off" },
            escape(&segments.join(", "))
        ));
    }
    for ts in &osd.task_sequences {
        let secrets: Vec<&str> = ts
            .variables
            .iter()
            .filter(|v| v.secret)
            .map(|v| v.name.as_str())
            .collect();
        if !secrets.is_empty() {
            items.push(format!(
                "task sequence {}: variables marked secret {}",
                escape(&ts.name),
                escape(&secrets.join(", "))
            ));
        }
    }
    if items.is_empty() {
        return String::new();
    }
    let mut out = String::from("<h3>The site's settings</h3><ul>");
    for i in items {
        let _ = write!(out, "<li>{i}</li>");
    }
    out.push_str("</ul>");
    out
}

/// The switchable assumptions as a scenario file's `assumptions` writes them: the rule,
/// the key, the value.
fn assumptions(a: &crate::model::Assumptions) -> Vec<(RuleId, &'static str, String)> {
    use crate::model::*;
    vec![
        (
            RuleId::A2,
            "admin_rights_policy",
            match a.admin_rights_policy {
                AdminRightsPolicy::ServiceIfUserLacksRights => "service_if_user_lacks_rights",
                AdminRightsPolicy::AlwaysService => "always_service",
            }
            .into(),
        ),
        (
            RuleId::A3,
            "token_admin_membership",
            match a.token_admin_membership {
                TokenAdminMembership::Standing => "standing",
                TokenAdminMembership::TransientOnMemberClients => "transient_on_member_clients",
            }
            .into(),
        ),
        (
            RuleId::A4,
            "swia_dp_context",
            match a.swia_dp_context {
                SwiaDpContext::ClientTokenAccount => "client_token_account",
                SwiaDpContext::SoftwareInstallationAccount => "software_installation_account",
            }
            .into(),
        ),
        (
            RuleId::A5,
            "connection_scope",
            match a.connection_scope {
                ConnectionScope::LogonSession => "logon_session",
                ConnectionScope::Machine => "machine",
            }
            .into(),
        ),
        (
            RuleId::A6,
            "win9x_connection_accounts",
            match a.win9x_connection_accounts {
                Win9xConnectionAccounts::NotUsed => "not_used",
                Win9xConnectionAccounts::Used => "used",
            }
            .into(),
        ),
        (
            RuleId::A14,
            "service_pack",
            match a.service_pack {
                ServicePack::Sp2 => "sp2",
                ServicePack::RtmSp1 => "rtm_sp1",
            }
            .into(),
        ),
        (
            RuleId::A15,
            "swia_secret_on_clients",
            a.swia_secret_on_clients.to_string(),
        ),
    ]
}

/// The site's accounts by role, named.
fn site_accounts(e: &Estate) -> Vec<(&'static str, Vec<String>)> {
    let site = e.site();
    let cm = &site.configmgr;
    let names = |ids: &[crate::model::AccountId]| -> Vec<String> {
        ids.iter().map(|&a| e.qualified_name(a)).collect()
    };
    let mut out = vec![
        (
            "client network connection accounts",
            names(&site.connection_accounts),
        ),
        (
            "Software Installation account",
            names(
                &site
                    .software_installation_account
                    .into_iter()
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "network access accounts",
            names(&cm.network_access_accounts),
        ),
        (
            "previous network access accounts",
            names(&cm.previous_network_access_accounts),
        ),
        (
            "client push accounts",
            names(cm.client_push.as_ref().map_or(&[][..], |p| &p.accounts[..])),
        ),
    ];
    let mut carried: Vec<crate::model::AccountId> = Vec::new();
    for ts in &cm.osd.task_sequences {
        carried.extend(ts.accounts(false));
    }
    carried.sort_unstable();
    carried.dedup();
    out.push(("task-sequence accounts", names(&carried)));
    out.retain(|(_, v)| !v.is_empty());
    out
}

/// Whether a decision gets its why-not candidates: it does not run, or runs other than
/// as the logged-on user.
fn wants_why_not(r: &Resolution) -> bool {
    r.decision.outcome != Outcome::Run || r.decision.context != Some(Context::User)
}

/// One decision: its summary, its trace with linked rules, its why-not candidates.
fn decision_details(
    scenario: &Scenario,
    r: &Resolution,
    clients: &[String],
    with_why: bool,
) -> String {
    let e = &scenario.estate;
    let ad = &e.advertisement(r.advertisement).name;
    let client = e.machine(r.client).name.as_str();
    let outcome = r.decision.outcome.to_string();
    let key = outcome.split(':').next().unwrap_or("").to_string();
    let who = if clients.len() > 1 {
        let shown: Vec<&str> = clients.iter().take(12).map(String::as_str).collect();
        let more = clients.len().saturating_sub(12);
        format!(
            "{} clients ({}{})",
            clients.len(),
            shown.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        )
    } else {
        client.to_string()
    };
    let mut out = format!(
        "<details class=\"decision\" id=\"d-{}-{}\" data-advertisement=\"{}\" data-client=\"{}\" data-outcome=\"{}\"><summary><span class=\"mono\">{}</span> on {}: {}</summary><ol>",
        escape(ad),
        escape(client),
        escape(ad),
        escape(&clients.join(" ")),
        escape(&key),
        escape(ad),
        escape(&who),
        escape(&summary(e, &r.decision))
    );
    for (rule, text) in step_texts(e, r) {
        let _ = write!(out, "<li>{} {}</li>", rule_link(rule), escape(&text));
    }
    out.push_str("</ol>");
    let consulted: Vec<String> = r
        .decision
        .assumptions
        .iter()
        .map(|a| rule_link(a.rule()))
        .collect();
    if !consulted.is_empty() {
        let _ = write!(
            out,
            "<p class=\"muted\">assumptions consulted: {}</p>",
            consulted.join(", ")
        );
    }
    if with_why && wants_why_not(r) {
        let lines = why_not_lines(e, &why_not(e, &scenario.state, r));
        if lines.is_empty() {
            out.push_str(
                "<p class=\"muted\">why not: no single candidate change alters this decision</p>",
            );
        } else {
            out.push_str("<p>why not, ranked:</p><ol class=\"why-not\">");
            for l in lines {
                let _ = write!(out, "<li>{}</li>", escape(&l));
            }
            out.push_str("</ol>");
        }
    }
    out.push_str("</details>");
    out
}

/// The decisions: each one, or on a large estate one per advertisement and decision
/// class, its clients collapsed, with the first client's trace.
fn decisions(scenario: &Scenario) -> String {
    let e = &scenario.estate;
    let mut resolutions = Vec::new();
    for ad in e.advertisement_ids() {
        for &client in &e.advertisement(ad).targets {
            resolutions.push(resolve(e, &scenario.state, ad, client));
        }
    }
    let mut out = format!(
        "<section id=\"decisions\"><h2>Decisions</h2><p>{} decision(s).</p>",
        resolutions.len()
    );
    out.push_str("<div class=\"filters\"><label>client<input id=\"filter-client\" type=\"search\" autocomplete=\"off\"></label><label>advertisement<input id=\"filter-advertisement\" type=\"search\" autocomplete=\"off\"></label><label>outcome<select id=\"filter-outcome\"><option value=\"\">any</option>");
    let outcomes: BTreeSet<String> = resolutions
        .iter()
        .map(|r| {
            r.decision
                .outcome
                .to_string()
                .split(':')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    for o in &outcomes {
        let _ = write!(out, "<option>{}</option>", escape(o));
    }
    out.push_str("</select></label></div>");
    if resolutions.len() <= GROUP_ABOVE {
        for r in &resolutions {
            let clients = [e.machine(r.client).name.to_string()];
            out.push_str(&decision_details(scenario, r, &clients, true));
        }
    } else {
        let mut groups: BTreeMap<(String, String), Vec<&Resolution>> = BTreeMap::new();
        for r in &resolutions {
            let key = (
                e.advertisement(r.advertisement).name.clone(),
                summary_class(e, &r.decision),
            );
            groups.entry(key).or_default().push(r);
        }
        let _ = write!(
            out,
            "<p>{} decision class(es) by advertisement; a class's clients are collapsed, the first one's trace shown.</p>",
            groups.len()
        );
        for ((_, class), members) in &groups {
            let clients: Vec<String> = members
                .iter()
                .map(|r| e.machine(r.client).name.to_string())
                .collect();
            let _ = write!(
                out,
                "<p class=\"muted class\">class: {} ({} clients; the first one's decision)</p>",
                escape(class),
                members.len()
            );
            out.push_str(&decision_details(scenario, members[0], &clients, true));
        }
    }
    out.push_str("</section>");
    out
}

/// Client push, where the site pushes: the site's line, each target's heading, tries and
/// the authentications it receives, in `push`'s words.
fn push(scenario: &Scenario) -> String {
    let e = &scenario.estate;
    let Some(settings) = e.site().configmgr.client_push.as_ref() else {
        return String::new();
    };
    let decisions = crate::engine::push::push_all(e, &scenario.state);
    let mut out = format!(
        "<section id=\"push\"><h2>Client push</h2><p>{}</p>",
        link_rules(&crate::render::push_site_line(e, settings, decisions.len()))
    );
    for d in &decisions {
        let _ = write!(
            out,
            "<details class=\"push\" id=\"push-{}\"><summary>{}</summary><ol>",
            escape(&e.machine(d.target).name),
            link_rules(&crate::render::push_target_line(e, d))
        );
        for a in &d.attempts {
            let _ = write!(
                out,
                "<li>{}</li>",
                link_rules(&crate::render::attempt_line(e, a))
            );
        }
        out.push_str("</ol>");
        if let Some(line) = crate::render::push_received_line(e, d) {
            let _ = write!(out, "<p>{}</p>", escape(&line));
        }
        out.push_str("</details>");
    }
    out.push_str("</section>");
    out
}

/// The findings, each with its tag and path, and the nodes and edges it highlights.
fn findings(e: &Estate, x: &Exposure, list: &[Finding], drawn: &graph::Drawn) -> String {
    let mut out = format!(
        "<section id=\"findings\"><h2>Findings</h2><p>{} finding(s). Choose one to highlight its path in the graph.</p>",
        list.len()
    );
    for (i, f) in list.iter().enumerate() {
        let mut nodes: Vec<&str> = f
            .objects
            .iter()
            .filter_map(|n| drawn.node_ids.get(n).map(String::as_str))
            .collect();
        let mut edges: Vec<&str> = Vec::new();
        for ev in &f.evidence {
            if let Evidence::Edge(id) = ev {
                if let Some(s) = drawn.edge_ids.get(id) {
                    edges.push(s);
                }
                let edge = x.edge_at(*id);
                for n in [edge.from, edge.to] {
                    if let Some(s) = drawn.node_ids.get(&n) {
                        nodes.push(s);
                    }
                }
            }
        }
        nodes.sort_unstable();
        nodes.dedup();
        let _ = write!(
            out,
            "<details class=\"finding\" id=\"f-{i}\" data-nodes=\"{}\" data-edges=\"{}\"><summary><span class=\"sev sev-{}\">{}</span> <span class=\"mono\">{}</span> ({}): {}</summary><p class=\"scripted\"><button type=\"button\" class=\"highlight\" aria-pressed=\"false\">highlight its path in the graph</button> <a href=\"#graph\">go to the graph</a></p>",
            nodes.join(" "),
            edges.join(" "),
            f.severity,
            f.severity,
            f.kind,
            rule_link(f.rule),
            escape(&finding_message(e, f))
        );
        if let Some(tag) = x.finding_tag(f) {
            let _ = write!(out, "<p>{}</p>", link_rules(&tag_text(&tag)));
        }
        out.push_str("<ol class=\"path\">");
        for ev in f.evidence.iter().take(12) {
            match ev {
                Evidence::Edge(id) => {
                    let _ = write!(out, "<li>{}</li>", link_rules(&edge_text(e, x, *id)));
                }
                Evidence::Decision {
                    advertisement,
                    client,
                } => {
                    let ad = &e.advertisement(*advertisement).name;
                    let c = &e.machine(*client).name;
                    let _ = write!(
                        out,
                        "<li><a href=\"#d-{}-{}\">{} on {}</a></li>",
                        escape(ad),
                        escape(c),
                        escape(ad),
                        escape(c)
                    );
                }
            }
        }
        if f.evidence.len() > 12 {
            let _ = write!(
                out,
                "<li class=\"muted\">and {} more</li>",
                f.evidence.len() - 12
            );
        }
        out.push_str("</ol></details>");
    }
    out.push_str("</section>");
    out
}

/// The exposure graph's section.
fn graph_section(drawn: &graph::Drawn, nodes: usize) -> String {
    let mut out = String::from("<section id=\"graph\"><h2>Exposure graph</h2>");
    if drawn.cut {
        let _ = write!(
            out,
            "<p class=\"muted\">The graph has more than {} edges: only the findings' evidence is drawn ({} nodes).</p>",
            graph::MAX_EDGES,
            nodes
        );
    }
    out.push_str("<div class=\"legend\"><span style=\"color:var(--user)\">user</span><span style=\"color:var(--group)\">group</span><span style=\"color:var(--machine)\">machine</span><span style=\"color:var(--secret)\">secret</span><span style=\"color:var(--other)\">share, domain, segment</span><span>dashed: while a program runs</span></div>");
    let _ = write!(out, "<div class=\"graph\">{}</div></section>", drawn.svg);
    out
}

/// The rule index: every rule of the catalog, in `--explain`'s words.
fn rule_index() -> String {
    let mut out = String::from("<section id=\"rules\"><h2>Rule index</h2><dl class=\"rules\">");
    for rule in CATALOG {
        let [head, source, kind, layer] = explain_lines(rule);
        let _ = write!(
            out,
            "<dt id=\"rule-{}\">{}</dt><dd><span class=\"muted\">{}; {}; {}</span></dd>",
            rule.id,
            escape(&head),
            escape(source.trim()),
            escape(kind.trim()),
            escape(layer.trim())
        );
    }
    out.push_str("</dl></section>");
    out
}

/// The report of a scenario: the estate, its decisions, client push, findings, the
/// exposure graph and the rule index.
pub fn scenario_report(scenario: &Scenario, title: &str) -> String {
    let e = &scenario.estate;
    let x = Exposure::build(e, &scenario.state);
    let list = x.findings(e);
    let drawn = graph::draw(e, &x, &list);
    let mut body = glance(scenario);
    body.push_str(&decisions(scenario));
    let pushed = push(scenario);
    body.push_str(&pushed);
    body.push_str(&findings(e, &x, &list, &drawn));
    body.push_str(&graph_section(&drawn, drawn.node_ids.len()));
    body.push_str(&rule_index());
    let mut nav = vec![("estate", "Estate"), ("decisions", "Decisions")];
    if !pushed.is_empty() {
        nav.push(("push", "Client push"));
    }
    nav.extend([
        ("findings", "Findings"),
        ("graph", "Graph"),
        ("rules", "Rules"),
    ]);
    page(title, &nav, &body)
}
