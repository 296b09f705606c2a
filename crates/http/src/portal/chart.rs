//! Charts drawn on the server as inline SVG (no script, no CDN): the holder's
//! contributions month by month and an account's balance over its entries. They read
//! without colour — stacked parts differ by fill pattern, every mark carries its value as a
//! title — and the table beside each chart holds the same numbers. Geometry is in pixels
//! (floating point); the amounts it shows are the integer fen of the records, in yuan.

use shebao_app::money::yuan;

use crate::portal::page::html;

// The chart's size in its own units: drawn at most this wide (the stylesheet's `30rem`), so
// its 13-unit labels read at 13 px on a desktop and about 9 px on a phone.
const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 468.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 190.0;
/// How far a line's first and last points stand in from the plot's edges (their labels'
/// half width).
const LINE_INSET: f64 = 40.0;
/// Most labels the x axis writes (the others' marks stay, unlabelled).
const X_LABELS: usize = 5;

/// A tick on an axis: where, and its label.
struct Tick {
    at: f64,
    label: String,
}

struct Bar {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    hatched: bool,
    title: String,
}

struct Point {
    x: f64,
    y: f64,
    title: String,
}

/// What the chart template draws.
struct Chart {
    id: &'static str,
    title: String,
    desc: String,
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    bottom: f64,
    y_ticks: Vec<Tick>,
    x_ticks: Vec<Tick>,
    bars: Vec<Bar>,
    /// The polyline's points (`x,y x,y …`), empty for a bar chart.
    line: String,
    points: Vec<Point>,
    /// Each part of a stacked bar: hatched or solid, and its name.
    legend: Vec<(bool, &'static str)>,
}

#[derive(askama::Template)]
#[template(path = "chart/chart.html")]
struct ChartHtml<'a> {
    chart: &'a Chart,
}

/// The smallest of 1, 2 and 5 times a power of ten at or above `value` (fen), at least 100
/// (one yuan): the top of a chart's scale.
fn nice_ceiling(value: i64) -> i64 {
    let mut step = 100_i64;
    loop {
        for factor in [1, 2, 5] {
            let top = step.saturating_mul(factor);
            if top >= value || top == i64::MAX {
                return top;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The y of an amount on a scale from 0 to `top` fen.
fn y_of(fen: i64, top: i64) -> f64 {
    #[allow(
        clippy::cast_precision_loss,
        reason = "pixel geometry; the labels carry the exact amounts"
    )]
    let share = fen.max(0) as f64 / top as f64;
    px(BOTTOM - share * (BOTTOM - TOP))
}

/// A pixel coordinate to a tenth of a pixel (short to write, as sharp as a screen shows).
fn px(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Four gridlines from 0 to `top`, labelled in yuan.
fn y_ticks(top: i64) -> Vec<Tick> {
    (0..=4)
        .map(|i| {
            let fen = top / 4 * i;
            Tick {
                at: y_of(fen, top),
                label: yuan(fen),
            }
        })
        .collect()
}

/// The labels of `count` slots (a slot's centre at `x(i)`), at most [`X_LABELS`] of them,
/// always the first and the last.
fn x_ticks(labels: &[String], x: impl Fn(usize) -> f64) -> Vec<Tick> {
    let count = labels.len();
    let every = count.div_ceil(X_LABELS).max(1);
    let mut shown: Vec<usize> = (0..count).step_by(every).collect();
    if let Some(&last) = shown.last()
        && last + 1 != count
    {
        // The last label replaces a regular one too close to it.
        if (count - 1 - last) * 2 < every {
            shown.pop();
        }
        shown.push(count - 1);
    }
    shown
        .into_iter()
        .filter_map(|i| {
            labels.get(i).map(|label| Tick {
                at: px(x(i)),
                label: label.clone(),
            })
        })
        .collect()
}

/// One stacked bar: its label, then the solid part and the hatched part (fen).
pub(crate) struct StackedBar {
    pub(crate) label: String,
    pub(crate) solid_fen: i64,
    pub(crate) hatched_fen: i64,
}

/// A bar chart of stacked bars, oldest left; `parts` names the solid and the hatched part.
pub(crate) fn stacked_bars(
    id: &'static str,
    title: &str,
    desc: &str,
    parts: (&'static str, &'static str),
    bars: &[StackedBar],
) -> String {
    let top = nice_ceiling(
        bars.iter()
            .map(|b| b.solid_fen.max(0).saturating_add(b.hatched_fen.max(0)))
            .max()
            .unwrap_or(0),
    );
    #[allow(clippy::cast_precision_loss, reason = "pixel geometry")]
    let slot = (RIGHT - LEFT) / bars.len().max(1) as f64;
    #[allow(clippy::cast_precision_loss, reason = "pixel geometry")]
    let centre = |i: usize| LEFT + slot * (i as f64 + 0.5);
    let width = px((slot * 0.7).max(1.0));
    let mut marks = Vec::new();
    for (i, bar) in bars.iter().enumerate() {
        let x = px(centre(i) - width / 2.0);
        let solid_top = y_of(bar.solid_fen, top);
        let hatched_top = y_of(bar.solid_fen.max(0) + bar.hatched_fen.max(0), top);
        marks.push(Bar {
            x,
            y: solid_top,
            width,
            height: px(BOTTOM - solid_top),
            hatched: false,
            title: format!("{} {}: {}", bar.label, parts.0, yuan(bar.solid_fen)),
        });
        marks.push(Bar {
            x,
            y: hatched_top,
            width,
            height: px(solid_top - hatched_top),
            hatched: true,
            title: format!("{} {}: {}", bar.label, parts.1, yuan(bar.hatched_fen)),
        });
    }
    let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
    draw(Chart {
        id,
        title: title.to_owned(),
        desc: desc.to_owned(),
        y_ticks: y_ticks(top),
        x_ticks: x_ticks(&labels, centre),
        bars: marks,
        line: String::new(),
        points: Vec::new(),
        legend: vec![(false, parts.0), (true, parts.1)],
        ..frame(id)
    })
}

/// A line through each (label, amount in fen) point, oldest left.
pub(crate) fn line(id: &'static str, title: &str, desc: &str, points: &[(String, i64)]) -> String {
    let top = nice_ceiling(points.iter().map(|(_, fen)| *fen).max().unwrap_or(0));
    let slots = points.len().max(1);
    #[allow(clippy::cast_precision_loss, reason = "pixel geometry")]
    let x = |i: usize| {
        if slots == 1 {
            (LEFT + RIGHT) / 2.0
        } else {
            LEFT + LINE_INSET + (RIGHT - LEFT - 2.0 * LINE_INSET) * i as f64 / (slots - 1) as f64
        }
    };
    let marks: Vec<Point> = points
        .iter()
        .enumerate()
        .map(|(i, (label, fen))| Point {
            x: px(x(i)),
            y: y_of(*fen, top),
            title: format!("{label}: {}", yuan(*fen)),
        })
        .collect();
    let line = marks
        .iter()
        .map(|p| format!("{:.1},{:.1}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ");
    let labels: Vec<String> = points.iter().map(|(label, _)| label.clone()).collect();
    draw(Chart {
        title: title.to_owned(),
        desc: desc.to_owned(),
        y_ticks: y_ticks(top),
        x_ticks: x_ticks(&labels, x),
        line,
        points: marks,
        ..frame(id)
    })
}

/// An empty chart of the common size.
fn frame(id: &'static str) -> Chart {
    Chart {
        id,
        title: String::new(),
        desc: String::new(),
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        right: RIGHT,
        bottom: BOTTOM,
        y_ticks: Vec::new(),
        x_ticks: Vec::new(),
        bars: Vec::new(),
        line: String::new(),
        points: Vec::new(),
        legend: Vec::new(),
    }
}

fn draw(chart: Chart) -> String {
    html(&ChartHtml { chart: &chart })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_tops_at_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_ceiling(0), 100);
        assert_eq!(nice_ceiling(150), 200);
        assert_eq!(nice_ceiling(201), 500);
        assert_eq!(nice_ceiling(123_456), 200_000);
        assert_eq!(nice_ceiling(500_000), 500_000);
    }

    #[test]
    fn bars_stack_their_parts_and_title_each_with_its_yuan() {
        let svg = stacked_bars(
            "c",
            "Contributions",
            "per month",
            ("individual", "employer"),
            &[
                StackedBar {
                    label: "2026-10".into(),
                    solid_fen: 40_000,
                    hatched_fen: 160_000,
                },
                StackedBar {
                    label: "2026-11".into(),
                    solid_fen: 50_000,
                    hatched_fen: 0,
                },
            ],
        );
        assert!(
            svg.contains("<title>2026-10 individual: 400.00</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("<title>2026-10 employer: 1600.00</title>"),
            "{svg}"
        );
        // The scale tops at 2,000 yuan: the October bar fills the plot to its top.
        assert!(svg.contains(">2000.00</text>"), "{svg}");
        assert!(svg.contains("y=\"12\""), "{svg}");
        assert!(svg.contains("fill=\"url(#c-hatch)\""), "{svg}");
        assert!(svg.contains(">2026-11</text>"), "{svg}");
    }

    #[test]
    fn a_line_has_a_marker_per_point_and_escapes_its_labels() {
        let svg = line(
            "b",
            "Balance <b>",
            "after each entry",
            &[("a".into(), 0), ("b".into(), 10_000), ("c".into(), 5_000)],
        );
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(
            svg.contains("Balance &#60;b&#62;") || svg.contains("Balance &lt;b&gt;"),
            "{svg}"
        );
        assert!(svg.contains("<title>b: 100.00</title>"), "{svg}");
    }

    #[test]
    fn at_most_five_labels_and_always_the_last() {
        let labels: Vec<String> = (0..24).map(|i| format!("m{i}")).collect();
        let ticks = x_ticks(&labels, |i| i as f64);
        assert!(ticks.len() <= X_LABELS + 1, "{}", ticks.len());
        assert!(ticks.windows(2).all(|pair| pair[1].at - pair[0].at >= 3.0));
        assert_eq!(ticks.first().map(|t| t.label.as_str()), Some("m0"));
        assert_eq!(ticks.last().map(|t| t.label.as_str()), Some("m23"));
    }
}
