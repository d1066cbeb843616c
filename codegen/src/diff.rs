//! What changed between two API surfaces, for the users of the generated crate.
//!
//! Each change is one of:
//! - **compatible**: code that compiled still compiles and decodes what it did
//!   (an added operation, optional parameter or optional field, an enum value);
//! - **breaking**: callers' code may stop compiling (something removed, a type
//!   changed, a parameter or request field became required);
//! - **breaks decoding**: responses the old crate decoded may fail to decode or
//!   lose data (a response field that became required, changed type or moved to
//!   another wire name). These are breaking too.
//!
//! Adding an optional field to a struct counts as compatible: structs whose
//! fields are all optional derive `Default` and are meant to be built with
//! `..Default::default()`. A struct with required fields has no `Default`, so an
//! optional field added to one sent in requests breaks the callers' struct
//! literals. (Response structs are read, not built, so a new field there is
//! compatible.)

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::surface::{FieldSurface, OperationSurface, ParamSurface, Surface, TypeSurface, Usage};

/// How a change affects users of the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Old code compiles and decodes as before.
    Compatible,
    /// Old code may not compile.
    Breaking,
    /// Real responses may no longer decode (or lose a value).
    BreaksDecoding,
}

impl Impact {
    fn heading(self) -> &'static str {
        match self {
            Impact::BreaksDecoding => "Breaks decoding of responses",
            Impact::Breaking => "Breaking",
            Impact::Compatible => "Compatible",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub impact: Impact,
    /// The operation or type (and member) it concerns, e.g. `Pipeline.name`.
    pub item: String,
    /// What happened, in words.
    pub description: String,
}

/// Every change between two surfaces, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SurfaceDiff {
    pub changes: Vec<Change>,
}

impl SurfaceDiff {
    /// The changes from `old` to `new`.
    pub fn between(old: &Surface, new: &Surface) -> Self {
        let mut diff = SurfaceDiff::default();
        for name in union(old.operations.keys(), new.operations.keys()) {
            match (old.operations.get(name), new.operations.get(name)) {
                (None, Some(added)) => {
                    diff.push(Impact::Compatible, name, format!("added operation ({})", added.endpoint))
                }
                (Some(removed), None) => {
                    diff.push(Impact::Breaking, name, format!("removed operation ({})", removed.endpoint))
                }
                (Some(before), Some(after)) => diff.operation(name, before, after),
                (None, None) => unreachable!("the name comes from one of them"),
            }
        }
        for name in union(old.types.keys(), new.types.keys()) {
            match (old.types.get(name), new.types.get(name)) {
                (None, Some(_)) => diff.push(Impact::Compatible, name, "added type".to_owned()),
                (Some(_), None) => diff.push(Impact::Breaking, name, "removed type".to_owned()),
                (Some(before), Some(after)) => diff.type_change(name, before, after),
                (None, None) => unreachable!("the name comes from one of them"),
            }
        }
        // Worst first; within an impact, operations (snake_case) before types.
        let key = |change: &Change| {
            (std::cmp::Reverse(change.impact), change.item.starts_with(char::is_uppercase), change.item.clone())
        };
        diff.changes.sort_by_key(key);
        diff
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The worst impact, if anything changed.
    pub fn worst(&self) -> Option<Impact> {
        self.changes.iter().map(|change| change.impact).max()
    }

    /// Whether callers' code or real responses may break.
    pub fn is_breaking(&self) -> bool {
        self.worst().is_some_and(|impact| impact >= Impact::Breaking)
    }

    /// The changes grouped by impact, worst first, as Markdown list items.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for impact in [Impact::BreaksDecoding, Impact::Breaking, Impact::Compatible] {
            let changes: Vec<&Change> = self.changes.iter().filter(|change| change.impact == impact).collect();
            if changes.is_empty() {
                continue;
            }
            // A blank line ends the previous list: Markdown would read the heading into its last item.
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "{} ({}):", impact.heading(), changes.len());
            for change in changes {
                let _ = writeln!(out, "- `{}`: {}", change.item, change.description);
            }
        }
        if out.is_empty() {
            out.push_str("No change to the API surface.\n");
        }
        out
    }

    fn push(&mut self, impact: Impact, item: &str, description: String) {
        self.changes.push(Change { impact, item: item.to_owned(), description });
    }

    fn operation(&mut self, name: &str, before: &OperationSurface, after: &OperationSurface) {
        if before.endpoint != after.endpoint {
            self.push(Impact::Compatible, name, format!("now calls {} (was {})", after.endpoint, before.endpoint));
        }
        let key = |param: &ParamSurface| (param.location.clone(), param.name.clone());
        // Optional parameters travel in one params argument: the first one adds it to the method.
        let has_optional = |operation: &OperationSurface| operation.params.iter().any(|param| !param.required);
        if !has_optional(before) && has_optional(after) {
            self.push(Impact::Breaking, name, "takes a new params argument (its first optional parameters)".to_owned());
        }
        if has_optional(before) && !has_optional(after) {
            self.push(Impact::Breaking, name, "no longer takes a params argument".to_owned());
        }
        for param in &after.params {
            match before.params.iter().find(|old| key(old) == key(param)) {
                None if param.required => {
                    self.push(
                        Impact::Breaking,
                        name,
                        format!("new required {} parameter `{}: {}`", param.location, param.name, param.ty),
                    );
                }
                None => self.push(
                    Impact::Compatible,
                    name,
                    format!("new optional {} parameter `{}`", param.location, param.name),
                ),
                Some(old) if old.ty != param.ty => self.push(
                    Impact::Breaking,
                    name,
                    format!("{} parameter `{}` is now `{}` (was `{}`)", param.location, param.name, param.ty, old.ty),
                ),
                Some(old) if old.required != param.required => {
                    let now = if param.required { "required" } else { "optional" };
                    self.push(
                        Impact::Breaking,
                        name,
                        format!("{} parameter `{}` is now {now}", param.location, param.name),
                    );
                }
                Some(_) => {}
            }
        }
        for old in before.params.iter().filter(|old| !after.params.iter().any(|param| key(param) == key(old))) {
            self.push(Impact::Breaking, name, format!("removed {} parameter `{}`", old.location, old.name));
        }
        if before.body != after.body {
            self.push(
                Impact::Breaking,
                name,
                format!("body is now {} (was {})", show(&after.body), show(&before.body)),
            );
        }
        if before.returns != after.returns {
            self.push(Impact::Breaking, name, format!("returns `{}` (was `{}`)", after.returns, before.returns));
        }
        match (&before.stream, &after.stream) {
            (None, Some((stream, item))) => {
                self.push(Impact::Compatible, name, format!("new stream `{stream}` of `{item}`"))
            }
            (Some((stream, _)), None) => self.push(Impact::Breaking, name, format!("removed stream `{stream}`")),
            (Some(old), Some(new)) if old != new => {
                self.push(
                    Impact::Breaking,
                    name,
                    format!("stream is now `{}` of `{}` (was `{}` of `{}`)", new.0, new.1, old.0, old.1),
                );
            }
            _ => {}
        }
        match (&before.job, &after.job) {
            (None, Some((method, results))) => self.push(
                Impact::Compatible,
                name,
                format!("new `{method}`, which runs the job and returns `{results}`"),
            ),
            (Some((method, _)), None) => self.push(Impact::Breaking, name, format!("removed `{method}`")),
            (Some(old), Some(new)) if old != new => self.push(
                Impact::Breaking,
                name,
                format!("`{}` is now `{}` returning `{}` (was returning `{}`)", old.0, new.0, new.1, old.1),
            ),
            _ => {}
        }
    }

    fn type_change(&mut self, name: &str, before: &TypeSurface, after: &TypeSurface) {
        match (before, after) {
            (TypeSurface::Struct { fields: old, .. }, TypeSurface::Struct { usage, fields: new }) => {
                let built_with_literals = usage.request && new.values().any(|field| field.required);
                for field in union(old.keys(), new.keys()) {
                    let item = format!("{name}.{field}");
                    self.field_change(&item, *usage, built_with_literals, old.get(field), new.get(field));
                }
            }
            (
                TypeSurface::Enum { values: old, catch_all: old_catch_all },
                TypeSurface::Enum { values: new, catch_all },
            ) => {
                for value in new.iter().filter(|value| !old.contains(value)) {
                    self.push(Impact::Compatible, name, format!("new value {value:?}"));
                }
                for value in old.iter().filter(|value| !new.contains(value)) {
                    self.push(
                        Impact::Breaking,
                        name,
                        format!("removed value {value:?} (it now decodes as `{catch_all}`)"),
                    );
                }
                if old_catch_all != catch_all {
                    self.push(
                        Impact::Breaking,
                        name,
                        format!("other values are now `{catch_all}` (was `{old_catch_all}`)"),
                    );
                }
            }
            (TypeSurface::Union(old), TypeSurface::Union(new)) => {
                for variant in new.iter().filter(|variant| !old.contains(variant)) {
                    match old.iter().find(|old| old.0 == variant.0) {
                        Some(before) => self.push(
                            Impact::Breaking,
                            name,
                            format!("variant `{}` now holds `{}` (was `{}`)", variant.0, variant.1, before.1),
                        ),
                        None => {
                            self.push(Impact::Compatible, name, format!("new variant `{}({})`", variant.0, variant.1))
                        }
                    }
                }
                for variant in old.iter().filter(|old| !new.iter().any(|new| new.0 == old.0)) {
                    self.push(Impact::Breaking, name, format!("removed variant `{}`", variant.0));
                }
            }
            (before, after) if before != after => {
                self.push(Impact::Breaking, name, format!("is now {} (was {})", kind(after), kind(before)));
            }
            _ => {}
        }
    }

    fn field_change(
        &mut self,
        item: &str,
        usage: Usage,
        built_with_literals: bool,
        before: Option<&FieldSurface>,
        after: Option<&FieldSurface>,
    ) {
        let decoding = if usage.response { Impact::BreaksDecoding } else { Impact::Breaking };
        match (before, after) {
            (None, Some(added)) if added.required => self.push(
                decoding,
                item,
                format!(
                    "new required field `{}` (responses without it no longer decode; requests must set it)",
                    added.ty
                ),
            ),
            (None, Some(added)) if built_with_literals => self.push(
                Impact::Breaking,
                item,
                format!(
                    "new field `{}` (the struct has required fields and no `Default`, so struct literals must set it)",
                    added.ty
                ),
            ),
            (None, Some(added)) => self.push(Impact::Compatible, item, format!("new field `{}`", added.ty)),
            (Some(removed), None) => self.push(Impact::Breaking, item, format!("removed field (was `{}`)", removed.ty)),
            (Some(old), Some(new)) if old.wire != new.wire => {
                self.push(decoding, item, format!("now read from `{}` (was `{}`)", new.wire, old.wire));
            }
            (Some(old), Some(new)) if !old.required && new.required => {
                self.push(decoding, item, format!("became required: `{}` (was `{}`)", new.ty, old.ty));
            }
            (Some(old), Some(new)) if old.ty != new.ty && same_inner(&old.ty, &new.ty) => {
                self.push(Impact::Breaking, item, format!("is now `{}` (was `{}`)", new.ty, old.ty));
            }
            (Some(old), Some(new)) if old.ty != new.ty && same_json(&old.ty, &new.ty) => {
                let change = format!("is now `{}` (was `{}`), read from the same JSON", new.ty, old.ty);
                self.push(Impact::Breaking, item, change);
            }
            (Some(old), Some(new)) if old.ty != new.ty => {
                self.push(decoding, item, format!("changed type: `{}` (was `{}`)", new.ty, old.ty));
            }
            _ => {}
        }
    }
}

/// `Option<T>` and `T` (or `Patch<T>`): the same value, differently wrapped.
fn same_inner(a: &str, b: &str) -> bool {
    let inner = |ty: &str| {
        ty.strip_prefix("Option<")
            .or_else(|| ty.strip_prefix("Patch<"))
            .and_then(|rest| rest.strip_suffix('>'))
            .unwrap_or(ty)
            .to_owned()
    };
    inner(a) == inner(b)
}

/// Types that decode the same JSON: a `Secret` is a string that never prints.
fn same_json(a: &str, b: &str) -> bool {
    let as_text = |ty: &str| ty.replace("Secret", "String");
    as_text(a) == as_text(b)
}

fn kind(ty: &TypeSurface) -> &'static str {
    match ty {
        TypeSurface::Struct { .. } => "a struct",
        TypeSurface::Enum { .. } => "an enum",
        TypeSurface::Union(_) => "a union",
        TypeSurface::Alias(_) => "an alias",
        TypeSurface::Statuses(_) => "a status enum",
    }
}

fn show(body: &Option<String>) -> String {
    body.as_ref().map_or_else(|| "none".to_owned(), |body| format!("`{body}`"))
}

fn union<'a>(a: impl Iterator<Item = &'a String>, b: impl Iterator<Item = &'a String>) -> BTreeSet<&'a String> {
    a.chain(b).collect()
}

/// The crate version after a change, by Cargo's semver rules: breaking changes
/// bump the major version (the minor one below 1.0), compatible additions the
/// minor one (the patch one below 1.0), and a spec change that leaves the
/// surface alone (docs, examples) the patch one. `None` when nothing changed.
pub fn next_version(current: &str, diff: &SurfaceDiff, spec_changed: bool) -> Option<String> {
    if diff.is_empty() && !spec_changed {
        return None;
    }
    let (major, minor, patch) = version_parts(current);
    Some(match (diff.worst(), major) {
        (Some(Impact::Breaking | Impact::BreaksDecoding), 0) => format!("0.{}.0", minor + 1),
        (Some(Impact::Breaking | Impact::BreaksDecoding), _) => format!("{}.0.0", major + 1),
        (Some(Impact::Compatible), 0) => format!("0.{minor}.{}", patch + 1),
        (Some(Impact::Compatible), _) => format!("{major}.{}.0", minor + 1),
        (None, _) => format!("{major}.{minor}.{}", patch + 1),
    })
}

/// The higher of two `major.minor.patch` versions, compared as numbers.
pub fn newer_version<'v>(a: &'v str, b: &'v str) -> &'v str {
    if version_parts(b) > version_parts(a) { b } else { a }
}

fn version_parts(version: &str) -> (u64, u64, u64) {
    let mut parts = version.split('.').map(|part| part.parse::<u64>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(newer_version("0.10.0", "0.9.3"), "0.10.0");
        assert_eq!(newer_version("0.1.0", "1.0.0"), "1.0.0");
    }

    fn surface(text: &str) -> Surface {
        Surface::parse(text).unwrap()
    }

    /// Each change from `from` to `to`: its description and impact.
    fn impacts(from: &str, to: &str) -> Vec<(String, Impact)> {
        let diff = SurfaceDiff::between(&surface(from), &surface(to));
        diff.changes.into_iter().map(|change| (change.description, change.impact)).collect()
    }

    const BEFORE: &str = "\
## Operations

get_job: GET /jobs/{id} (getJob)
  path id: String
  query fields?: Vec<String>
  -> Job
list_jobs: GET /jobs (listJobs)
  -> Vec<Job>

## Types

struct Job (response)
  id (\"_id\"): Option<String>
  name: Option<String>
  retries: Option<i64>
enum Status: \"Queued\" | \"Failed\" | Unknown(String)
";

    #[test]
    fn changes_are_classified() {
        let after = "\
## Operations

get_job: GET /jobs/{id} (getJob)
  path id: String
  query fields?: Vec<String>
  query verbose?: bool
  -> Job
run_job: POST /jobs/{id}/run (runJob)
  path id: String
  -> ()

## Types

struct Job (response)
  id (\"_id\"): Option<String>
  name: String
  retries: Option<String>
  started: Option<DateTime>
enum Status: \"Queued\" | \"Running\" | Unknown(String)
";
        let diff = SurfaceDiff::between(&surface(BEFORE), &surface(after));
        assert_eq!(
            diff.render(),
            "\
Breaks decoding of responses (2):
- `Job.name`: became required: `String` (was `Option<String>`)
- `Job.retries`: changed type: `Option<String>` (was `Option<i64>`)

Breaking (2):
- `list_jobs`: removed operation (GET /jobs)
- `Status`: removed value \"Failed\" (it now decodes as `Unknown`)

Compatible (4):
- `get_job`: new optional query parameter `verbose`
- `run_job`: added operation (POST /jobs/{id}/run)
- `Job.started`: new field `Option<DateTime>`
- `Status`: new value \"Running\"
"
        );
        assert!(diff.is_breaking());
        assert_eq!(next_version("0.3.1", &diff, true).as_deref(), Some("0.4.0"));
        assert_eq!(next_version("1.3.1", &diff, true).as_deref(), Some("2.0.0"));
    }

    #[test]
    fn a_field_that_becomes_a_secret_breaks_code_but_not_decoding() {
        let before = "## Operations\n\n## Types\n\nstruct Isolation (response)\n  unlock_code: Option<String>\n";
        let after = "## Operations\n\n## Types\n\nstruct Isolation (response)\n  unlock_code: Option<Secret>\n";
        let diff = SurfaceDiff::between(&surface(before), &surface(after));
        assert_eq!(
            diff.render(),
            "Breaking (1):\n- `Isolation.unlock_code`: is now `Option<Secret>` (was `Option<String>`), read from the same JSON\n"
        );
    }

    #[test]
    fn an_optional_field_breaks_literals_of_request_structs_without_default() {
        let before = "## Operations\n\n## Types\n\nstruct JobRequest (request)\n  name: String\nstruct Page (request)\n  limit: Option<i64>\n";
        let after = "## Operations\n\n## Types\n\nstruct JobRequest (request)\n  name: String\n  note: Option<String>\nstruct Page (request)\n  limit: Option<i64>\n  offset: Option<i64>\n";
        let diff = SurfaceDiff::between(&surface(before), &surface(after));
        let impacts: Vec<(&str, Impact)> =
            diff.changes.iter().map(|change| (change.item.as_str(), change.impact)).collect();
        assert_eq!(impacts, [("JobRequest.note", Impact::Breaking), ("Page.offset", Impact::Compatible)]);
    }

    #[test]
    fn the_first_optional_parameter_of_an_operation_breaks_its_callers() {
        let before = "## Operations\n\nlist_jobs: GET /jobs (listJobs)\n  -> ()\n\n## Types\n";
        let after = "## Operations\n\nlist_jobs: GET /jobs (listJobs)\n  query fields?: String\n  -> ()\n\n## Types\n";
        assert_eq!(
            impacts(before, after),
            [
                ("takes a new params argument (its first optional parameters)".to_owned(), Impact::Breaking),
                ("new optional query parameter `fields`".to_owned(), Impact::Compatible),
            ]
        );
        assert_eq!(impacts(after, before)[0], ("no longer takes a params argument".to_owned(), Impact::Breaking));
    }

    #[test]
    fn a_new_job_method_is_compatible_and_a_removed_one_breaks() {
        let before = "## Operations\n\nrun_query: POST /runs (runQuery)\n  -> Run\n\n## Types\n";
        let after = "## Operations\n\nrun_query: POST /runs (runQuery)\n  -> Run\n  run_query_to_completion: job, then get_results_stream\n\n## Types\n";
        assert_eq!(
            impacts(before, after),
            [(
                "new `run_query_to_completion`, which runs the job and returns `get_results_stream`".to_owned(),
                Impact::Compatible
            )]
        );
        assert_eq!(impacts(after, before), [("removed `run_query_to_completion`".to_owned(), Impact::Breaking)]);
    }

    #[test]
    fn versions_follow_cargo_semver() {
        let compatible = SurfaceDiff {
            changes: vec![Change { impact: Impact::Compatible, item: "x".into(), description: "added".into() }],
        };
        assert_eq!(next_version("0.3.1", &compatible, true).as_deref(), Some("0.3.2"));
        assert_eq!(next_version("1.3.1", &compatible, true).as_deref(), Some("1.4.0"));
        assert_eq!(next_version("1.3.1", &SurfaceDiff::default(), true).as_deref(), Some("1.3.2"), "docs only");
        assert_eq!(next_version("1.3.1", &SurfaceDiff::default(), false), None);
    }

    #[test]
    fn a_rendered_surface_reads_back() {
        let parsed = surface(BEFORE);
        assert_eq!(Surface::parse(&parsed.render("t")).unwrap(), parsed);
    }
}
