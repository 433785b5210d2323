//! The fake's in-memory tenant and tokens.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// How the fake writes `accessTokenExpire`; the real API has been seen sending each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpireFormat {
    /// `"2026-04-22T11:33:15Z"`
    Rfc3339,
    /// `1809771195`
    EpochSeconds,
    /// `1809771195000`
    EpochMillis,
    /// `"1809771195"`
    NumericString,
}

pub(crate) struct State {
    pub(crate) api_key: String,
    pub(crate) token_lifetime: Duration,
    pub(crate) reported_lifetime: Duration,
    pub(crate) expire_format: ExpireFormat,
    pub(crate) tokens: HashMap<String, Instant>,
    pub(crate) issued: Vec<String>,
    pub(crate) authorize_count: usize,
    pub(crate) rate_limit: Option<(usize, Duration)>,
    pub(crate) recent: VecDeque<Instant>,
    pub(crate) throttled: usize,
    pub(crate) users: Vec<Value>,
    pub(crate) groups: Vec<Value>,
    pub(crate) networks: Vec<Value>,
    pub(crate) member_licences: i64,
    pub(crate) gateway_licences: i64,
    next_id: u64,
}

impl State {
    pub(crate) fn new(
        api_key: String,
        token_lifetime: Duration,
        reported_lifetime: Duration,
        expire_format: ExpireFormat,
        users: usize,
        rate_limit: Option<(usize, Duration)>,
    ) -> Self {
        let mut state = State {
            api_key,
            token_lifetime,
            reported_lifetime,
            expire_format,
            tokens: HashMap::new(),
            issued: Vec::new(),
            authorize_count: 0,
            rate_limit,
            recent: VecDeque::new(),
            throttled: 0,
            users: Vec::new(),
            groups: Vec::new(),
            networks: Vec::new(),
            member_licences: 10,
            gateway_licences: 1,
            next_id: 1,
        };
        for n in 1..=users {
            let email = format!("user{n}@example.com");
            let user = state.new_user(&email, "User", &n.to_string());
            state.users.push(user);
        }
        let group_id = state.id("group");
        state.groups.push(json!({
            "id": group_id, "name": "Default", "isDefault": true,
            "applications": [], "networks": [], "vpnLocations": [], "users": [],
            "tenantId": "fake-tenant", "createdAt": "2026-01-05T10:00:00.000Z"
        }));
        for (name, region) in [("office", "eu-central-1"), ("cloud", "us-east-1")] {
            let id = state.id("net");
            state.networks.push(json!({
                "id": id, "name": name, "subnet": "10.255.0.0/16", "tenantId": "fake-tenant",
                "isDefault": false, "tags": [], "accessType": "private",
                "geoPoint": {"lat": 50.1, "lng": 8.6},
                "regions": [{"id": format!("{id}-r1"), "name": region, "instances": [
                    {"id": format!("{id}-gw1"), "ip": "203.0.113.10", "type": "gateway"}
                ]}],
                "tunnels": [],
                "createdAt": "2026-02-01T08:00:00.000Z",
                "futureFieldNoClientKnows": {"nested": [1, 2, 3]}
            }));
        }
        state
    }

    /// A fresh identifier with a prefix, unique within this fake.
    pub(crate) fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}-{:06}", self.next_id)
    }

    pub(crate) fn new_user(&mut self, email: &str, first: &str, last: &str) -> Value {
        json!({
            "id": self.id("user"), "email": email, "emailVerified": false,
            "firstName": first, "lastName": last, "initials": "UU",
            "roleName": "Member", "terminated": false, "username": email,
            "tenantId": "fake-tenant", "createdAt": "2026-03-01T12:00:00.000Z",
            "idProviders": {}, "scoreHistory": [{"at": 1, "v": null}]
        })
    }

    /// Issues a token, returning the `data` of the token response.
    pub(crate) fn issue_token(&mut self) -> Value {
        let token = format!(
            "fake-token-{}-{}",
            self.issued.len() + 1,
            uuid::Uuid::new_v4()
        );
        self.issued.push(token.clone());
        self.tokens
            .insert(token.clone(), Instant::now() + self.token_lifetime);
        let expires = SystemTime::now() + self.reported_lifetime;
        let secs = expires
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let expire = match self.expire_format {
            ExpireFormat::Rfc3339 => {
                let at = chrono::DateTime::<chrono::Utc>::from(expires);
                json!(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            }
            ExpireFormat::EpochSeconds => json!(secs),
            ExpireFormat::EpochMillis => json!(secs * 1000),
            ExpireFormat::NumericString => json!(secs.to_string()),
        };
        json!({"tokenType": "bearer", "accessToken": token, "accessTokenExpire": expire})
    }

    /// Whether `token` was issued and has not expired.
    pub(crate) fn token_valid(&self, token: &str) -> bool {
        self.tokens
            .get(token)
            .is_some_and(|until| Instant::now() < *until)
    }

    /// Counts a request against the rate limit; false when it is over.
    pub(crate) fn within_rate_limit(&mut self) -> bool {
        let Some((limit, window)) = self.rate_limit else {
            return true;
        };
        let now = Instant::now();
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= limit {
            self.throttled += 1;
            return false;
        }
        self.recent.push_back(now);
        true
    }
}
