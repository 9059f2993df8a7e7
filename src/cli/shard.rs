//! `--shard K/N` and `--shard auto/N`: which part of a run this process simulates, with the
//! index read from a cluster engine's environment for `auto`.
//!
//! Must not: simulate or write files; the split itself is `sim::runner::shard_ids`.

use crate::error::{Error, Result};

/// Most shards a run may be split into: far more than a job array of a cluster holds in
/// practice, few enough that `merge` can hold one line per shard in its messages.
pub const MAX_SHARDS: u32 = 100_000;

/// The environment variables `--shard auto/N` reads the index from, in this order: a Slurm job
/// array, a Kubernetes Indexed Job, an AWS Batch array job. All are 0-based.
pub const SHARD_ENV: [&str; 3] = [
    "SLURM_ARRAY_TASK_ID",
    "JOB_COMPLETION_INDEX",
    "AWS_BATCH_JOB_ARRAY_INDEX",
];

/// `--shard` as given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardSpec {
    /// `K/N`.
    Fixed(Shard),
    /// `auto/N`: the index from [`SHARD_ENV`].
    Auto {
        /// N.
        count: u32,
    },
}

/// Shard `index` of `count` (0 ≤ index < count).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// K, 0-based.
    pub index: u32,
    /// N.
    pub count: u32,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Parses `--shard` (`K/N` or `auto/N`).
pub fn parse_shard(s: &str) -> std::result::Result<ShardSpec, String> {
    let hint = format!(
        "K/N is allowed: shard K (0 to N−1) of N, N from 1 to {MAX_SHARDS}, or auto/N to read K from {}",
        SHARD_ENV.join(", ")
    );
    let Some((k, n)) = s.trim().split_once('/') else {
        return Err(hint);
    };
    let count = match n.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_SHARDS).contains(&n) => n,
        _ => return Err(format!("N = {n:?}: {hint}")),
    };
    if k.trim() == "auto" {
        return Ok(ShardSpec::Auto { count });
    }
    match k.trim().parse::<u32>() {
        Ok(index) if index < count => Ok(ShardSpec::Fixed(Shard { index, count })),
        _ => Err(format!("K = {k:?} with N = {count}: {hint}")),
    }
}

impl ShardSpec {
    /// The shard, its index read from the environment for `auto/N` (`env` looks a variable up).
    pub fn resolve(self, env: impl Fn(&str) -> Option<String>) -> Result<Shard> {
        let count = match self {
            ShardSpec::Fixed(s) => return Ok(s),
            ShardSpec::Auto { count } => count,
        };
        for var in SHARD_ENV {
            let Some(v) = env(var) else { continue };
            return match v.trim().parse::<u32>() {
                Ok(index) if index < count => Ok(Shard { index, count }),
                _ => Err(Error::Usage(format!(
                    "--shard auto/{count}: {var} is {v:?}, which is not a shard index from 0 to {}; start the job array with indices 0 to {} (Slurm: --array=0-{})",
                    count - 1,
                    count - 1,
                    count - 1
                ))),
            };
        }
        Err(Error::Usage(format!(
            "--shard auto/{count}: none of {} is set, so the shard index is unknown; give it as --shard K/{count}, or run inside a Slurm job array, a Kubernetes Indexed Job or an AWS Batch array job",
            SHARD_ENV.join(", ")
        )))
    }
}

impl ShardSpec {
    /// [`ShardSpec::resolve`] on this process's environment.
    pub fn from_env(self) -> Result<Shard> {
        self.resolve(|k| std::env::var(k).ok())
    }
}

/// A command's output directory without `--out`: `output/NAME`, or for a shard
/// `output/NAME.shard-K-of-N`, beside it (`name` already safe as a directory name).
pub fn default_out(name: &str, shard: Option<Shard>) -> std::path::PathBuf {
    std::path::Path::new("output").join(match shard {
        Some(s) => format!("{name}.shard-{}-of-{}", s.index, s.count),
        None => name.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fixed_and_auto() {
        assert_eq!(
            parse_shard("2/4"),
            Ok(ShardSpec::Fixed(Shard { index: 2, count: 4 }))
        );
        assert_eq!(parse_shard("auto/8"), Ok(ShardSpec::Auto { count: 8 }));
        for bad in ["4/4", "1", "-1/4", "0/0", "a/3", "auto/0", "1/100001", ""] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn auto_reads_the_first_variable_set() {
        let spec = ShardSpec::Auto { count: 4 };
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let s = spec.resolve(env(&[("JOB_COMPLETION_INDEX", "3")])).unwrap();
        assert_eq!(s, Shard { index: 3, count: 4 });
        let s = spec
            .resolve(env(&[
                ("AWS_BATCH_JOB_ARRAY_INDEX", "0"),
                ("SLURM_ARRAY_TASK_ID", "1"),
            ]))
            .unwrap();
        assert_eq!(s.index, 1);
        let e = spec
            .resolve(env(&[("SLURM_ARRAY_TASK_ID", "4")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("--array=0-3"), "{e}");
        let e = spec.resolve(env(&[])).unwrap_err().to_string();
        assert!(e.contains("none of SLURM_ARRAY_TASK_ID"), "{e}");
    }
}
