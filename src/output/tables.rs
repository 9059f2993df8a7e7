//! Long ("tidy") CSV tables of a run's summary, for R, pandas and spreadsheets: one
//! observation per row, the same numbers as summary.json (docs/cli.md, "Tidy tables").
//!
//! * `arms.csv`: `arm, metric, key, value` — every number of `summary.json`'s `arms.<arm>`;
//!   `key` is empty for a plain metric, the nested key path for a table of numbers
//!   (`by_household_type`: `couple.reclaim_share`; `high_reclaim_shares`: `1000`) and the month
//!   (1–12) for the monthly series.
//! * `comparisons.csv`: one row per entry of `comparisons`, its fields as columns.
//! * `subgroups.csv`: one row per group of each subgroup table (`arm, vs, metric, dimension,
//!   interaction_p`, then the group's fields).
//! * `monthly.csv`: `arm, month, advance, entitlement` (mean per recipient household).
//!
//! Built from the summary's JSON form, so a number is written exactly as summary.json writes
//! it, and a key added to the summary appears here without code. Must not: compute anything.

use serde_json::Value;

/// The file names, in the order [`tidy_tables`] returns them.
pub const TIDY_FILES: [&str; 4] = [
    "arms.csv",
    "comparisons.csv",
    "subgroups.csv",
    "monthly.csv",
];

/// A scalar as CSV text: numbers as summary.json writes them, `null` empty.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// A CSV text of `header` and `rows` (built in memory).
pub(crate) fn csv_text(header: &[String], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Every number under `v`, with its key path (`a.b`, array items by 1-based position).
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for k in keys {
                let x = &m[k];
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, x, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = if prefix.is_empty() {
                    (i + 1).to_string()
                } else {
                    format!("{prefix}.{}", i + 1)
                };
                flatten(&p, x, out);
            }
        }
        Value::Number(_) | Value::Null => out.push((prefix.to_string(), cell(v))),
        // Text (an arm's policy name) is not a measurement.
        Value::String(_) | Value::Bool(_) => {}
    }
}

/// Columns that lead a table, in this order, when present; the others follow by name.
const LEADING: [&str; 7] = [
    "arm",
    "vs",
    "metric",
    "population",
    "dimension",
    "interaction_p",
    "group",
];

/// Rows of objects as a table: the union of their scalar keys as columns (the identifying
/// [`LEADING`] ones first, then by name), so the layout never depends on map order.
fn object_rows(items: &[&serde_json::Map<String, Value>]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut keys: Vec<String> = Vec::new();
    for m in items {
        for (k, v) in m.iter() {
            if !v.is_object() && !v.is_array() && !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    keys.sort();
    let mut header: Vec<String> = LEADING
        .iter()
        .filter(|l| keys.iter().any(|k| k == *l))
        .map(|l| l.to_string())
        .collect();
    header.extend(keys.into_iter().filter(|k| !LEADING.contains(&k.as_str())));
    let rows = items
        .iter()
        .map(|m| {
            header
                .iter()
                .map(|k| m.get(k).map(cell).unwrap_or_default())
                .collect()
        })
        .collect();
    (header, rows)
}

/// The four tidy tables of a summary (its JSON form), as `(file name, CSV text)`.
pub fn tidy_tables(summary: &Value) -> Vec<(&'static str, String)> {
    let order: Vec<String> = summary["arm_order"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let arms = summary["arms"].as_object().cloned().unwrap_or_default();
    let arm_names: Vec<String> = if order.is_empty() {
        arms.keys().cloned().collect()
    } else {
        order
    };

    // arms.csv and monthly.csv
    let mut arm_rows = Vec::new();
    let mut monthly_rows = Vec::new();
    for name in &arm_names {
        let Some(Value::Object(a)) = arms.get(name) else {
            continue;
        };
        let mut metrics: Vec<&String> = a.keys().collect();
        metrics.sort();
        for metric in metrics {
            let v = &a[metric];
            if metric == "monthly_advance" || metric == "monthly_entitlement" {
                continue;
            }
            let mut flat = Vec::new();
            flatten("", v, &mut flat);
            for (key, value) in flat {
                arm_rows.push(vec![name.clone(), metric.clone(), key, value]);
            }
        }
        let adv = a.get("monthly_advance").and_then(|x| x.as_array());
        let ent = a.get("monthly_entitlement").and_then(|x| x.as_array());
        let n = adv.map_or(0, |x| x.len()).max(ent.map_or(0, |x| x.len()));
        for m in 0..n {
            let at =
                |s: Option<&Vec<Value>>| s.and_then(|x| x.get(m)).map(cell).unwrap_or_default();
            monthly_rows.push(vec![name.clone(), (m + 1).to_string(), at(adv), at(ent)]);
        }
    }
    let h = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let arms_csv = csv_text(&h(&["arm", "metric", "key", "value"]), &arm_rows);
    let monthly_csv = csv_text(
        &h(&["arm", "month", "advance", "entitlement"]),
        &monthly_rows,
    );

    // comparisons.csv
    let comps: Vec<&serde_json::Map<String, Value>> = summary["comparisons"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x.as_object()).collect())
        .unwrap_or_default();
    let (ch, cr) = object_rows(&comps);
    let comparisons_csv = csv_text(&ch, &cr);

    // subgroups.csv: the table's own fields, then each group's
    let mut merged: Vec<serde_json::Map<String, Value>> = Vec::new();
    for t in summary["subgroups"].as_array().into_iter().flatten() {
        let Some(t) = t.as_object() else { continue };
        for g in t
            .get("groups")
            .and_then(|g| g.as_array())
            .into_iter()
            .flatten()
        {
            let mut row = serde_json::Map::new();
            for (k, v) in t {
                if k != "groups" && !v.is_object() && !v.is_array() {
                    row.insert(k.clone(), v.clone());
                }
            }
            if let Some(g) = g.as_object() {
                for (k, v) in g {
                    row.insert(k.clone(), v.clone());
                }
            }
            merged.push(row);
        }
    }
    let refs: Vec<&serde_json::Map<String, Value>> = merged.iter().collect();
    let (sh, sr) = object_rows(&refs);
    let subgroups_csv = csv_text(&sh, &sr);

    vec![
        (TIDY_FILES[0], arms_csv),
        (TIDY_FILES[1], comparisons_csv),
        (TIDY_FILES[2], subgroups_csv),
        (TIDY_FILES[3], monthly_csv),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_made_summary_becomes_four_long_tables() {
        let s = serde_json::json!({
            "arm_order": ["control", "cautious"],
            "arms": {
                "cautious": {"policy": "cautious", "reclaim_share": 0.18,
                    "high_reclaim_shares": {"1000": 0.1},
                    "monthly_advance": [1.5, 2.0], "monthly_entitlement": [1.0, 2.5]},
                "control": {"policy": "standard", "reclaim_share": 0.31, "mean_reclaim": null,
                    "by_household_type": {"single": {"reclaim_share": 0.2}}}
            },
            "comparisons": [
                {"arm": "cautious", "vs": "control", "metric": "reclaim_share", "difference": -0.13, "ci_low": -0.14, "primary": true}
            ],
            "subgroups": [
                {"arm": "cautious", "vs": "control", "metric": "reclaim_share", "dimension": "household_type", "interaction_p": 0.5,
                 "groups": [{"group": "single", "difference": -0.05}, {"group": "couple", "difference": -0.1}]}
            ]
        });
        let t = tidy_tables(&s);
        let get = |name: &str| t.iter().find(|(n, _)| *n == name).unwrap().1.clone();
        assert_eq!(
            get("arms.csv"),
            "arm,metric,key,value\ncontrol,by_household_type,single.reclaim_share,0.2\ncontrol,mean_reclaim,,\ncontrol,reclaim_share,,0.31\ncautious,high_reclaim_shares,1000,0.1\ncautious,reclaim_share,,0.18\n"
        );
        assert_eq!(
            get("monthly.csv"),
            "arm,month,advance,entitlement\ncautious,1,1.5,1.0\ncautious,2,2.0,2.5\n"
        );
        assert_eq!(
            get("comparisons.csv"),
            "arm,vs,metric,ci_low,difference,primary\ncautious,control,reclaim_share,-0.14,-0.13,true\n"
        );
        assert_eq!(
            get("subgroups.csv"),
            "arm,vs,metric,dimension,interaction_p,group,difference\ncautious,control,reclaim_share,household_type,0.5,single,-0.05\ncautious,control,reclaim_share,household_type,0.5,couple,-0.1\n"
        );
    }
}
