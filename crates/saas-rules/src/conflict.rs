//! The existing policy a `409 Conflict` of `createPolicy` carries.

use reqwest::StatusCode;

use crate::Error;
use crate::types::{ExistingPolicy, Policy};

/// The policies a `409 Conflict` answer (a policy of that name exists) carries, typed: the
/// envelope's `response`, a single policy or a list. `None` for any other error, or a 409
/// whose body has no policy.
pub fn existing_policies(error: &Error) -> Option<Vec<&Policy>> {
    if error.status() != Some(StatusCode::CONFLICT) {
        return None;
    }
    match error.api_error()?.response.as_ref()? {
        ExistingPolicy::Policy(policy) => Some(vec![policy]),
        ExistingPolicy::Array(policies) => Some(policies.iter().collect()),
    }
}

/// The existing policy of a `409 Conflict` answer to `createPolicy`: the envelope's policy,
/// or the first of its list. `None` for any other error.
///
/// ```no_run
/// # async fn run(client: saas_rules::Client, body: saas_rules::types::CreatePolicyRequest)
/// # -> Result<(), saas_rules::Error> {
/// let policy = match client.create_policy().body(body).send().await {
///     Ok(created) => created.into_inner().response.into_iter().next(),
///     Err(error) => {
///         let error = saas_rules::Error::from(error);
///         match saas_rules::existing_policy(&error) {
///             Some(existing) => Some(existing.clone()),
///             None => return Err(error),
///         }
///     }
/// };
/// # Ok(()) }
/// ```
pub fn existing_policy(error: &Error) -> Option<&Policy> {
    existing_policies(error)?.into_iter().next()
}
