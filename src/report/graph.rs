//! The exposure graph as inline SVG, laid out here: a layered layout of our own, one
//! column per kind of node (users and network segments, groups, machines, secrets, then
//! shares and domains), each column ordered by the mean row of its neighbours in the
//! columns before it (one barycentre pass, ties by name), so edges mostly run left to
//! right without a layout crate: the kinds already give the layers, and a crate built for
//! general graphs would add a dependency for less predictable pictures. Conditional edges
//! (a run's administrator) are dashed. A large graph is cut to the edges the findings
//! rest on, so the page stays readable and small.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::escape;
use crate::exposure::export::node_name;
use crate::exposure::{EdgeId, EdgeKind, Exposure, Finding, Node};
use crate::model::{AccountKind, Estate};

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

/// Lays the graph out and draws it.
pub fn draw(estate: &Estate, x: &Exposure, findings: &[Finding]) -> Drawn {
    let all: Vec<EdgeId> = (0..x.edges().len()).map(EdgeId::from_index).collect();
    let cut = all.len() > MAX_EDGES;
    let mut edges: Vec<EdgeId> = if cut {
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
        kept
    } else {
        all
    };
    edges.sort_unstable();
    // The nodes, by column, first by name.
    let mut columns: Vec<Vec<(String, Node)>> = vec![Vec::new(); 5];
    let mut seen: BTreeMap<Node, ()> = BTreeMap::new();
    for &e in &edges {
        let edge = x.edge_at(e);
        for n in [edge.from, edge.to] {
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
                    let other = if edge.to == *n {
                        edge.from
                    } else if edge.from == *n {
                        edge.to
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
    let mut node_ids = BTreeMap::new();
    let mut edge_ids = BTreeMap::new();
    for &e in &edges {
        let edge = x.edge_at(e);
        let (x1, y1) = place(edge.from);
        let (x2, y2) = place(edge.to);
        let (sx, sy, tx, ty) = (x1 + BOX_W, y1 + BOX_H / 2.0, x2, y2 + BOX_H / 2.0);
        let mid = (sx + tx) / 2.0;
        let conditional = matches!(edge.kind, EdgeKind::AdminWhileRuns(_));
        let id = format!("e{}", e.index());
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
        let name = node_name(estate, n);
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
    Drawn {
        svg,
        node_ids,
        edge_ids,
        cut,
    }
}
