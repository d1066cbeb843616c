//! Long-running jobs from the config (`generate.jobs`): each names the
//! operations that start, report on and list the results of one kind of job;
//! the start operation gets a `Job` and so a `..._to_completion` method.
//!
//! A job that does not fit the spec (an operation missing, a field the
//! responses lack) gets no method and a config warning saying why.

use crate::config::{ApiConfig, JobConfig};
use crate::config_check::ConfigUse;
use crate::model::{BodyType, FieldPath, Job, JobFields, Operation, Success, TypeRef};
use crate::naming::Namespace;
use crate::types::TypeBuilder;

/// Gives each configured job to its start operation.
pub(crate) fn attach(
    config: &ApiConfig,
    types: &TypeBuilder,
    usage: &mut ConfigUse,
    operations: &mut [Operation],
    methods: &mut Namespace,
) {
    for (index, job_config) in config.jobs.iter().enumerate() {
        match job(job_config, types, operations) {
            Ok((start, mut job)) => {
                job.method_name = methods.claim(&format!("{}_to_completion", operations[start].method_name));
                operations[start].job = Some(job);
            }
            Err(problem) => {
                usage.job_problems.insert(index, problem);
            }
        }
    }
}

/// The start operation's index and its job (its method not yet named).
fn job(config: &JobConfig, types: &TypeBuilder, operations: &[Operation]) -> Result<(usize, Job), String> {
    let find = |id: &str| {
        operations.iter().position(|operation| operation.id == id).ok_or(format!("the spec has no operation `{id}`"))
    };
    let (start, status, results) = (find(&config.start)?, find(&config.status)?, find(&config.results)?);
    let [start_op, status_op, results_op] = [&operations[start], &operations[status], &operations[results]];
    if start_op.job.is_some() {
        return Err(format!("another job already starts with `{}`", config.start));
    }
    if status_op.file != start_op.file || results_op.file != start_op.file {
        return Err(format!(
            "`{}`, `{}` and `{}` have different tags, so they can be compiled apart",
            config.start, config.status, config.results
        ));
    }
    takes_only_a_job_id(status_op)?;
    takes_only_a_job_id(results_op)?;
    let pagination =
        results_op.pagination.clone().ok_or(format!("`{}` is not a paged list operation", config.results))?;
    Ok((
        start,
        Job {
            method_name: String::new(),
            status_method: status_op.method_name.clone(),
            status_takes_params: status_op.params_struct.is_some(),
            results: pagination,
            results_takes_params: results_op.params_struct.is_some(),
            started: job_fields(config, types, start_op)?,
            polled: job_fields(config, types, status_op)?,
            finished: config.finished.clone(),
            succeeded: config.succeeded.clone(),
            state_wire: config.state.clone(),
            outcome_wire: config.outcome.clone(),
        },
    ))
}

/// A status or results operation is called with the job's id alone (as text).
fn takes_only_a_job_id(operation: &Operation) -> Result<(), String> {
    match operation.required_params.as_slice() {
        [id] if id.ty == TypeRef::String && operation.body.is_none() => Ok(()),
        _ => Err(format!(
            "`{}` must take exactly one required parameter, the job's id as a string, and no body",
            operation.id
        )),
    }
}

fn job_fields(config: &JobConfig, types: &TypeBuilder, operation: &Operation) -> Result<JobFields, String> {
    let Success::One(BodyType::Json { ty: TypeRef::Named(response_type), .. }) = &operation.success else {
        return Err(format!("`{}` does not return a JSON object", operation.id));
    };
    let field = |wire: &str| -> Result<FieldPath, String> {
        types
            .field_path(response_type, wire)
            .ok_or(format!("`{}`'s response `{response_type}` has no field `{wire}`", operation.id))
    };
    Ok(JobFields {
        response_type: response_type.clone(),
        id: field(&config.id)?,
        state: field(&config.state)?,
        outcome: config.outcome.as_deref().map(field).transpose()?,
    })
}
