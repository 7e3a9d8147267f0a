//! The exposure graph as inline SVG, laid out here: a layered layout of our own, one
//! column per kind of node (users and network segments, groups, machines, secrets, then
//! shares and domains), each column ordered by the mean row of its neighbours in the
//! columns before it (one barycentre pass, ties by name), so edges mostly run left to
//! right without a layout crate: the kinds already give the layers, and a crate built for
//! general graphs would add a dependency for less predictable pictures. Conditional edges
//! (a run's administrator) are dashed. Identical machines are one node, as the DOT export
//! draws them (`exposure::export::machine_classes`), and a large graph is cut to the
//! edges the findings rest on, so the page stays readable and small.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::escape;
use crate::exposure::export::{node_name, owner_machine, relative_name};
use crate::exposure::{EdgeId, EdgeKind, Exposure, Finding, Node};
use crate::model::{AccountKind, Estate, MachineId};

/// Above this many edges, the graph keeps only the findings' evidence.
pub const MAX_EDGES: usize = 600;

const COLUMN: f64 = 250.0;
const ROW: f64 = 26.0;
const BOX_W: f64 = 210.0;
const BOX_H: f64 = 20.0;

/// The graph as laid out: its SVG, and the ids it gives nodes and edges.
pub struct Drawn {
    /// The `<svg>` element.
    pub svg: String,
    /// Each node drawn and its element id.
    pub node_ids: BTreeMap<Node, String>,
    /// Each edge drawn and its element id.
    pub edge_ids: BTreeMap<EdgeId, String>,
    /// Whether the graph was cut to the findings' evidence.
    pub cut: bool,
}

fn column(estate: &Estate, n: Node) -> usize {
    match n {
        Node::Account(a) if estate.account(a).kind == AccountKind::User => 0,
        // A position on a network segment is where a path starts, as a user is.
        Node::Segment(_) => 0,
        Node::Account(_) => 1,
        Node::Machine(_) => 2,
        Node::Secret(_) => 3,
        Node::Share(_) | Node::Domain(_) => 4,
    }
}

fn class(estate: &Estate, n: Node) -> &'static str {
    match (n, column(estate, n)) {
        (Node::Segment(_), _) => "k-other",
        (_, 0) => "k-user",
        (_, 1) => "k-group",
        (_, 2) => "k-machine",
        (_, 3) => "k-secret",
        _ => "k-other",
    }
}

/// The edges drawn, in id order, and whether the graph was cut to the findings'
/// evidence (above [`MAX_EDGES`]).
fn kept_edges(x: &Exposure, findings: &[Finding]) -> (Vec<EdgeId>, bool) {
    let all: Vec<EdgeId> = (0..x.edges().len()).map(EdgeId::from_index).collect();
    if all.len() <= MAX_EDGES {
        return (all, false);
    }
    let mut kept: Vec<EdgeId> = findings
        .iter()
        .flat_map(|f| f.evidence.iter())
        .filter_map(|e| match e {
            crate::exposure::Evidence::Edge(id) => Some(*id),
            crate::exposure::Evidence::Decision { .. } => None,
        })
        .collect();
    kept.sort_unstable();
    kept.dedup();
    kept.truncate(MAX_EDGES);
    (kept, true)
}

/// Identical machines (the DOT export's classes) drawn as one: each node of a class's
/// other members stands for its counterpart on the first member.
struct Classes {
    /// Each machine's class: its first member and its size.
    first: BTreeMap<MachineId, (MachineId, usize)>,
    /// The first members' own nodes, by their name as seen from the machine.
    local_of_first: BTreeMap<(MachineId, String), Node>,
}

impl Classes {
    fn of(estate: &Estate, x: &Exposure, edges: &[EdgeId]) -> Classes {
        let mut first = BTreeMap::new();
        for members in crate::exposure::export::machine_classes(estate, x) {
            for &m in &members {
                first.insert(m, (members[0], members.len()));
            }
        }
        let mut local_of_first = BTreeMap::new();
        for &e in edges {
            let edge = x.edge_at(e);
            for n in [edge.from, edge.to] {
                if let Some(m) = owner_machine(estate, n)
                    && first.get(&m).is_some_and(|&(f, _)| f == m)
                {
                    local_of_first.insert((m, relative_name(estate, n, m)), n);
                }
            }
        }
        Classes {
            first,
            local_of_first,
        }
    }

    /// The node drawn for `n`.
    fn stand_in(&self, estate: &Estate, n: Node) -> Node {
        match owner_machine(estate, n).and_then(|m| self.first.get(&m).map(|&(f, _)| (m, f))) {
            Some((m, f)) if m != f => {
                if n == Node::Machine(m) {
                    Node::Machine(f)
                } else {
                    self.local_of_first
                        .get(&(f, relative_name(estate, n, m)))
                        .copied()
                        .unwrap_or(n)
                }
            }
            _ => n,
        }
    }
}

/// Lays the graph out and draws it.
pub fn draw(estate: &Estate, x: &Exposure, findings: &[Finding]) -> Drawn {
    let (edges, cut) = kept_edges(x, findings);
    let classes = Classes::of(estate, x, &edges);
    let stand_in = |n: Node| classes.stand_in(estate, n);
    // The nodes, by column, first by name.
    let mut columns: Vec<Vec<(String, Node)>> = vec![Vec::new(); 5];
    let mut seen: BTreeMap<Node, ()> = BTreeMap::new();
    for &e in &edges {
        let edge = x.edge_at(e);
        for n in [stand_in(edge.from), stand_in(edge.to)] {
            if seen.insert(n, ()).is_none() {
                columns[column(estate, n)].push((node_name(estate, n), n));
            }
        }
    }
    for c in &mut columns {
        c.sort();
    }
    // One barycentre pass, left to right: a node's rank is the mean row of its
    // neighbours already placed.
    let mut row: BTreeMap<Node, usize> = BTreeMap::new();
    for (i, (_, n)) in columns[0].iter().enumerate() {
        row.insert(*n, i);
    }
    for column_nodes in columns.iter_mut().skip(1) {
        let mut keyed: Vec<(u64, String, Node)> = column_nodes
            .iter()
            .map(|(name, n)| {
                let mut sum = 0usize;
                let mut count = 0usize;
                for &e in &edges {
                    let edge = x.edge_at(e);
                    let (from, to) = (stand_in(edge.from), stand_in(edge.to));
                    let other = if to == *n {
                        from
                    } else if from == *n {
                        to
                    } else {
                        continue;
                    };
                    if let Some(&r) = row.get(&other) {
                        sum += r;
                        count += 1;
                    }
                }
                // Fixed point with two decimals: deterministic, no float ordering.
                let key = if count == 0 {
                    u64::MAX
                } else {
                    (sum as u64 * 100) / count as u64
                };
                (key, name.clone(), *n)
            })
            .collect();
        keyed.sort();
        *column_nodes = keyed.into_iter().map(|(_, name, n)| (name, n)).collect();
        for (i, (_, n)) in column_nodes.iter().enumerate() {
            row.insert(*n, i);
        }
    }
    let used: Vec<usize> = (0..columns.len())
        .filter(|&c| !columns[c].is_empty())
        .collect();
    let place = |n: Node| -> (f64, f64) {
        let c = column(estate, n);
        let x = used.iter().position(|&u| u == c).unwrap_or(0) as f64 * COLUMN + 10.0;
        let y = row.get(&n).copied().unwrap_or(0) as f64 * ROW + 10.0;
        (x, y)
    };
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let width = used.len().max(1) as f64 * COLUMN;
    let height = rows.max(1) as f64 * ROW + 20.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"exposure graph\">"
    );
    let mut node_ids: BTreeMap<Node, String> = BTreeMap::new();
    let mut edge_ids: BTreeMap<EdgeId, String> = BTreeMap::new();
    let mut lines: BTreeMap<(Node, Node, bool), String> = BTreeMap::new();
    for &e in &edges {
        let edge = x.edge_at(e);
        let (from, to) = (stand_in(edge.from), stand_in(edge.to));
        let conditional = matches!(edge.kind, EdgeKind::AdminWhileRuns(_));
        // One line for the edges a class's members share.
        if let Some(id) = lines.get(&(from, to, conditional)) {
            edge_ids.insert(e, id.clone());
            continue;
        }
        let (x1, y1) = place(from);
        let (x2, y2) = place(to);
        let (sx, sy, tx, ty) = (x1 + BOX_W, y1 + BOX_H / 2.0, x2, y2 + BOX_H / 2.0);
        let mid = (sx + tx) / 2.0;
        let id = format!("e{}", e.index());
        lines.insert((from, to, conditional), id.clone());
        let _ = write!(
            svg,
            "<path id=\"{id}\" class=\"edge{}\" d=\"M{sx:.0},{sy:.0} C{mid:.0},{sy:.0} {mid:.0},{ty:.0} {tx:.0},{ty:.0}\"><title>{}</title></path>",
            if conditional { " conditional" } else { "" },
            escape(&crate::exposure::export::edge_text(estate, x, e))
        );
        edge_ids.insert(e, id);
    }
    for (k, n) in columns.iter().flatten().map(|(_, n)| *n).enumerate() {
        let (nx, ny) = place(n);
        let id = format!("n{k}");
        let name = match (
            n,
            owner_machine(estate, n).and_then(|m| classes.first.get(&m)),
        ) {
            (Node::Machine(m), Some(&(_, size))) if size > 1 => {
                format!("{} and {} like it", estate.machine(m).name, size - 1)
            }
            _ => node_name(estate, n),
        };
        let short: String = if name.chars().count() > 32 {
            name.chars().take(31).chain(std::iter::once('…')).collect()
        } else {
            name.clone()
        };
        let _ = write!(
            svg,
            "<g id=\"{id}\" class=\"node {}\"><title>{}</title><rect x=\"{nx:.0}\" y=\"{ny:.0}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"4\"/><text x=\"{:.0}\" y=\"{:.0}\">{}</text></g>",
            class(estate, n),
            escape(&name),
            nx + 5.0,
            ny + 14.0,
            escape(&short)
        );
        node_ids.insert(n, id);
    }
    svg.push_str("</svg>");
    // Every node of the edges drawn answers to its stand-in's element.
    for &e in &edges {
        let edge = x.edge_at(e);
        for n in [edge.from, edge.to] {
            if let Some(id) = node_ids.get(&stand_in(n)).cloned() {
                node_ids.entry(n).or_insert(id);
            }
        }
    }
    Drawn {
        svg,
        node_ids,
        edge_ids,
        cut,
    }
}
