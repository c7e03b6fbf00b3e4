//! `twilio-webhook explain`: why does a signature not match, and what would make it match?
//!
//! The URL an app validates against is often not the URL Twilio called: https is terminated by a proxy,
//! ngrok forwards to localhost, a port or a path prefix appears or disappears, a slash is added. This
//! module rebuilds the nearby requests Twilio may have signed, tries them from the fewest changes up, and
//! names the first that matches. It prints which variant matched, never a signature.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Write;

use rocket_twilio::{Algorithm, RequestValidator};

use crate::args::ExplainArgs;
use crate::error::{CliError, Outcome, Verdict};
use crate::params::Param;
use crate::secret::{self, Secret, SECONDARY_TOKEN_ENV};
use crate::weburl::{split_host_port, WebUrl};

/// At most this many `--host` and `--prefix` values each, to keep the search small.
const MAX_ALTERNATIVES: usize = 4;

/// One difference between the request as the app saw it and the request Twilio signed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Change {
    /// Twilio called another scheme (`to`).
    Scheme { from: String, to: String },
    /// Twilio signed the URL without `user:pass@`.
    DropUserinfo,
    /// Twilio signed the host in lower case.
    LowercaseHost,
    /// Twilio called another `host[:port]`.
    Host { from: String, to: String },
    /// Twilio called another port (`None`: no explicit port).
    Port { from: Option<String>, to: Option<String> },
    /// Twilio's path has a prefix the app did not see.
    PrefixAdded(String),
    /// The app saw a path prefix Twilio did not call.
    PrefixDropped(String),
    /// Twilio's path ends with `/`, the app's does not.
    TrailingSlashAdded,
    /// The app's path ends with `/`, Twilio's does not.
    TrailingSlashRemoved,
    /// Twilio's URL has no query string.
    QueryDropped,
    /// The parameters were given URL-encoded; Twilio signs decoded values.
    ParamsDecoded,
    /// Twilio signed the URL alone (GET, or JSON body).
    ParamsIgnored,
    /// Signed with the secondary Auth Token.
    SecondaryToken,
    /// The signature's `+` had been decoded as a space.
    SignatureSpaces,
    /// The signature had been percent-encoded.
    SignaturePercentEncoded,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let port = |p: &Option<String>| p.as_ref().map_or_else(|| "no port".to_owned(), |p| format!(":{p}"));
        match self {
            Change::Scheme { from, to } => write!(f, "scheme {from} → {to}"),
            Change::DropUserinfo => f.write_str("credentials (user:pass@) dropped"),
            Change::LowercaseHost => f.write_str("host lower-cased"),
            Change::Host { from, to } => write!(f, "host {from} → {to}"),
            Change::Port { from, to } => write!(f, "port {} → {}", port(from), port(to)),
            Change::PrefixAdded(p) => write!(f, "path prefix {p} added"),
            Change::PrefixDropped(p) => write!(f, "path prefix {p} dropped"),
            Change::TrailingSlashAdded => f.write_str("trailing slash added"),
            Change::TrailingSlashRemoved => f.write_str("trailing slash removed"),
            Change::QueryDropped => f.write_str("query string dropped"),
            Change::ParamsDecoded => f.write_str("parameter values URL-decoded"),
            Change::ParamsIgnored => f.write_str("parameters left out (URL signed alone)"),
            Change::SecondaryToken => f.write_str("secondary Auth Token"),
            Change::SignatureSpaces => f.write_str("spaces in the signature read as '+'"),
            Change::SignaturePercentEncoded => f.write_str("signature percent-decoded"),
        }
    }
}

/// The variants of one part of the request, each with the changes that produced it (none for the original).
type Options<T> = Vec<(T, Vec<Change>)>;

/// Tells whether the signature matches, and if not, which nearby request it does match.
pub(crate) fn run(args: &ExplainArgs, out: &mut dyn Write) -> Outcome {
    let url = WebUrl::parse(&args.url).map_err(|e| CliError::usage(format!("invalid URL: {e}")))?;
    let hosts = alternatives(&args.hosts, "--host", |h| {
        split_host_port(h).map(|_| h.to_owned()).map_err(|e| format!("invalid --host `{h}`: {e}"))
    })?;
    let prefixes = alternatives(&args.prefixes, "--prefix", normalize_prefix)?;
    let primary = secret::primary(args.token.auth_token_file.as_deref())?;
    let secondary = secret::secondary(args.secondary_token_file.as_deref())?;
    let signature = args.signature.as_str();
    let params: Vec<(&str, &str)> = args.params.iter().map(|p| (p.name.as_str(), p.value.as_str())).collect();
    let described = describe_request(&args.url, args.params.len());

    // As the app validates: the URL as given, with or without its port.
    if let Some(algorithm) = algorithm_for(signature) {
        if RequestValidator::with_algorithm(primary.expose(), algorithm).validate(
            &args.url,
            params.iter().copied(),
            signature,
        ) {
            writeln!(out, "match: the signature is valid for {described} (primary Auth Token, {algorithm})")?;
            return Ok(Verdict::Pass);
        }
    }

    let search = Search::new(&url, &hosts, &prefixes, &args.params, signature, secondary.is_some());
    writeln!(out, "mismatch: the signature is not valid for {described}")?;
    if search.signatures.iter().all(|(s, _)| algorithm_for(s).is_none()) {
        writeln!(
            out,
            "the signature has {} characters, but an HMAC-SHA1 signature has 28 and an HMAC-SHA256 one 44: \
             it was truncated or altered before it reached you (log the raw X-Twilio-Signature header)",
            signature.chars().count()
        )?;
        return Ok(Verdict::Fail);
    }
    match search.find(&primary, secondary.as_ref()) {
        Some(found) => {
            writeln!(out, "Twilio signed: {}", found.url)?;
            let changes: Vec<String> = found.changes.iter().map(ToString::to_string).collect();
            writeln!(out, "differences: {}", changes.join("; "))?;
            for fix in fixes(&found.changes, &url, &found.url) {
                writeln!(out, "fix: {fix}")?;
            }
        }
        None => {
            writeln!(out, "none of the {} nearby variants matches either.", search.size())?;
            writeln!(
                out,
                "check: that {} is the current primary Auth Token of the account (or sub-account) that \
                 owns the number; that every POST parameter is given exactly as received, empty ones \
                 included; and the public URL Twilio calls (try --host HOST and --prefix /PREFIX)",
                args.token.auth_token_file.as_ref().map_or_else(
                    || secret::TOKEN_ENV.to_owned(),
                    |p| format!("the token in {}", p.display())
                ),
            )?;
            if secondary.is_none() {
                writeln!(
                    out,
                    "hint: during a token rotation, set {SECONDARY_TOKEN_ENV} (or --secondary-token-file) \
                     to try the other token too"
                )?;
            }
        }
    }
    Ok(Verdict::Fail)
}

fn describe_request(url: &str, params: usize) -> String {
    match params {
        0 => format!("{url} with no POST parameters"),
        1 => format!("{url} with this 1 POST parameter"),
        n => format!("{url} with these {n} POST parameters"),
    }
}

/// The HMAC a signature of this length was made with.
fn algorithm_for(signature: &str) -> Option<Algorithm> {
    [Algorithm::HmacSha1, Algorithm::HmacSha256].into_iter().find(|a| a.signature_len() == signature.len())
}

fn alternatives(
    values: &[String],
    flag: &str,
    check: impl Fn(&str) -> Result<String, String>,
) -> Result<Vec<String>, CliError> {
    if values.len() > MAX_ALTERNATIVES {
        return Err(CliError::usage(format!("at most {MAX_ALTERNATIVES} {flag} values")));
    }
    values.iter().map(|v| check(v).map_err(CliError::usage)).collect()
}

/// `/api`, from `api`, `/api/` or `/api`.
fn normalize_prefix(prefix: &str) -> Result<String, String> {
    let trimmed = prefix.trim_matches('/');
    if trimmed.is_empty() || trimmed.contains(['?', '#']) || trimmed.chars().any(char::is_whitespace) {
        return Err(format!("invalid --prefix `{prefix}`: expected a path such as /api"));
    }
    Ok(format!("/{trimmed}"))
}

/// The request Twilio signed, as found.
struct Found {
    url: WebUrl,
    changes: Vec<Change>,
}

/// Every nearby variant of each part of the request.
struct Search {
    urls: Options<WebUrl>,
    params: Options<Vec<(String, String)>>,
    /// `true`: the secondary token.
    tokens: Options<bool>,
    signatures: Options<String>,
}

/// What the URL variants may draw on besides the URL itself.
struct Alternatives<'a> {
    hosts: &'a [String],
    prefixes: &'a [String],
}

/// One kind of URL variant: the original first, then each changed URL with its change.
type UrlStep = fn(&WebUrl, &Alternatives<'_>) -> Vec<(WebUrl, Option<Change>)>;

impl Search {
    fn new(
        url: &WebUrl,
        hosts: &[String],
        prefixes: &[String],
        params: &[Param],
        signature: &str,
        has_secondary: bool,
    ) -> Self {
        let alternatives = Alternatives { hosts, prefixes };
        let steps: [UrlStep; 7] =
            [schemes, userinfo, host_variants, ports, path_prefixes, trailing_slash, query];
        let mut urls: Options<WebUrl> = vec![(url.clone(), Vec::new())];
        for step in steps {
            urls = urls
                .into_iter()
                .flat_map(|(u, changes)| {
                    step(&u, &alternatives).into_iter().map(move |(v, change)| {
                        let mut changes = changes.clone();
                        changes.extend(change);
                        (v, changes)
                    })
                })
                .collect();
        }
        // The same URL may be reached in several ways: keep the way with the fewest changes.
        urls.sort_by_key(|(_, changes)| changes.len());
        let mut seen = HashSet::new();
        urls.retain(|(u, _)| seen.insert(u.to_string()));

        let given: Vec<(String, String)> = params.iter().map(|p| (p.name.clone(), p.value.clone())).collect();
        let decoded: Vec<(String, String)> =
            given.iter().map(|(n, v)| (form_decode(n), form_decode(v))).collect();
        let mut param_options = vec![(given.clone(), Vec::new())];
        if decoded != given {
            param_options.push((decoded, vec![Change::ParamsDecoded]));
        }
        if !given.is_empty() {
            param_options.push((Vec::new(), vec![Change::ParamsIgnored]));
        }

        let mut tokens = vec![(false, Vec::new())];
        if has_secondary {
            tokens.push((true, vec![Change::SecondaryToken]));
        }

        let mut signatures = vec![(signature.to_owned(), Vec::new())];
        if signature.contains(' ') {
            signatures.push((signature.replace(' ', "+"), vec![Change::SignatureSpaces]));
        }
        if signature.contains('%') {
            signatures.push((percent_decode(signature), vec![Change::SignaturePercentEncoded]));
        }

        Search { urls, params: param_options, tokens, signatures }
    }

    /// How many requests the search covers.
    fn size(&self) -> usize {
        self.urls.len() * self.params.len() * self.tokens.len() * self.signatures.len()
    }

    /// The matching variant with the fewest changes.
    fn find(&self, primary: &Secret, secondary: Option<&Secret>) -> Option<Found> {
        let mut order: Vec<[usize; 4]> = Vec::with_capacity(self.size());
        for u in 0..self.urls.len() {
            for p in 0..self.params.len() {
                for t in 0..self.tokens.len() {
                    for s in 0..self.signatures.len() {
                        order.push([u, p, t, s]);
                    }
                }
            }
        }
        let changes = |[u, p, t, s]: [usize; 4]| {
            [&self.urls[u].1, &self.params[p].1, &self.tokens[t].1, &self.signatures[s].1]
        };
        // Stable: among equally distant variants, the URL closest to the original comes first.
        order.sort_by_key(|&i| changes(i).into_iter().map(Vec::len).sum::<usize>());

        let mut validators: HashMap<(bool, Algorithm), RequestValidator> = HashMap::new();
        let mut computed: HashMap<(usize, usize, bool, Algorithm), String> = HashMap::new();
        for index in order {
            let [u, p, t, s] = index;
            let signature = &self.signatures[s].0;
            let Some(algorithm) = algorithm_for(signature) else { continue };
            let use_secondary = self.tokens[t].0;
            let Some(key) = (if use_secondary { secondary } else { Some(primary) }) else { continue };
            let expected = computed.entry((u, p, use_secondary, algorithm)).or_insert_with(|| {
                validators
                    .entry((use_secondary, algorithm))
                    .or_insert_with(|| RequestValidator::with_algorithm(key.expose(), algorithm))
                    .compute_signature(&self.urls[u].0.to_string(), self.params[p].0.iter().cloned())
            });
            // Not secret-dependent timing that matters: this runs locally on a signature the user holds.
            if expected == signature {
                let changes = changes(index).into_iter().flatten().cloned().collect();
                return Some(Found { url: self.urls[u].0.clone(), changes });
            }
        }
        None
    }
}

fn schemes(url: &WebUrl, _: &Alternatives<'_>) -> Vec<(WebUrl, Option<Change>)> {
    let to = match url.scheme.to_ascii_lowercase().as_str() {
        "http" => "https",
        "https" => "http",
        "ws" => "wss",
        _ => "ws",
    };
    let mut changed = url.clone();
    changed.scheme = to.to_owned();
    let change = Change::Scheme { from: url.scheme.clone(), to: to.to_owned() };
    vec![(url.clone(), None), (changed, Some(change))]
}

fn userinfo(url: &WebUrl, _: &Alternatives<'_>) -> Vec<(WebUrl, Option<Change>)> {
    let mut options = vec![(url.clone(), None)];
    if url.userinfo.is_some() {
        options.push((WebUrl { userinfo: None, ..url.clone() }, Some(Change::DropUserinfo)));
    }
    options
}

fn host_variants(url: &WebUrl, alternatives: &Alternatives<'_>) -> Vec<(WebUrl, Option<Change>)> {
    let mut options = vec![(url.clone(), None)];
    let lower = url.host.to_ascii_lowercase();
    if lower != url.host {
        options.push((WebUrl { host: lower, ..url.clone() }, Some(Change::LowercaseHost)));
    }
    let current = match &url.port {
        Some(port) => format!("{}:{port}", url.host),
        None => url.host.clone(),
    };
    for alternative in alternatives.hosts {
        // Checked when the arguments were read.
        let Ok((host, port)) = split_host_port(alternative) else { continue };
        if *alternative != current {
            let changed = WebUrl { host: host.to_owned(), port: port.map(str::to_owned), ..url.clone() };
            options.push((changed, Some(Change::Host { from: current.clone(), to: alternative.clone() })));
        }
    }
    options
}

fn ports(url: &WebUrl, _: &Alternatives<'_>) -> Vec<(WebUrl, Option<Change>)> {
    let mut options = vec![(url.clone(), None)];
    let default = url.default_port();
    if url.port.is_some() {
        options.push((
            WebUrl { port: None, ..url.clone() },
            Some(Change::Port { from: url.port.clone(), to: None }),
        ));
    }
    if url.port.as_deref() != Some(default) {
        let to = Some(default.to_owned());
        let change = Change::Port { from: url.port.clone(), to: to.clone() };
        options.push((WebUrl { port: to, ..url.clone() }, Some(change)));
    }
    options
}

fn path_prefixes(url: &WebUrl, alternatives: &Alternatives<'_>) -> Vec<(WebUrl, Option<Change>)> {
    let mut options = vec![(url.clone(), None)];
    // `/a/b…` → `/b…`: a proxy or mount point added the first segment.
    if let Some(second) = url.path.get(1..).and_then(|rest| rest.find('/')).map(|i| i + 1) {
        let (prefix, rest) = url.path.split_at(second);
        if rest.len() > 1 {
            let changed = WebUrl { path: rest.to_owned(), ..url.clone() };
            options.push((changed, Some(Change::PrefixDropped(prefix.to_owned()))));
        }
    }
    for prefix in alternatives.prefixes {
        let has_prefix = url.path == *prefix
            || url.path.strip_prefix(prefix.as_str()).is_some_and(|rest| rest.starts_with('/'));
        if has_prefix {
            let rest = &url.path[prefix.len()..];
            let path = if rest.is_empty() { "/".to_owned() } else { rest.to_owned() };
            options.push((WebUrl { path, ..url.clone() }, Some(Change::PrefixDropped(prefix.clone()))));
        } else {
            let path = format!("{prefix}{}", url.path);
            options.push((WebUrl { path, ..url.clone() }, Some(Change::PrefixAdded(prefix.clone()))));
        }
    }
    options
}

fn trailing_slash(url: &WebUrl, _: &Alternatives<'_>) -> Vec<(WebUrl, Option<Change>)> {
    let toggled = match url.path.strip_suffix('/') {
        Some(without) => (without.to_owned(), Change::TrailingSlashRemoved),
        None => (format!("{}/", url.path), Change::TrailingSlashAdded),
    };
    vec![(url.clone(), None), (WebUrl { path: toggled.0, ..url.clone() }, Some(toggled.1))]
}

fn query(url: &WebUrl, _: &Alternatives<'_>) -> Vec<(WebUrl, Option<Change>)> {
    let mut options = vec![(url.clone(), None)];
    if url.query.is_some() {
        options.push((WebUrl { query: None, ..url.clone() }, Some(Change::QueryDropped)));
    }
    options
}

/// The one-line fixes for the changes found, most important first.
fn fixes(changes: &[Change], saw: &WebUrl, signed: &WebUrl) -> Vec<String> {
    let mut fixes = Vec::new();
    let has = |f: fn(&Change) -> bool| changes.iter().any(f);
    let to_https = has(|c| matches!(c, Change::Scheme { to, .. } if to == "https" || to == "wss"));
    let to_http = has(|c| matches!(c, Change::Scheme { to, .. } if to == "http" || to == "ws"));
    let host = has(|c| matches!(c, Change::Host { .. }));
    let lower = has(|c| matches!(c, Change::LowercaseHost));
    let port = has(|c| matches!(c, Change::Port { .. }));
    let creds = has(|c| matches!(c, Change::DropUserinfo));
    if to_https || to_http || host || lower || port || creds {
        let reason = if to_https {
            format!(
                "Twilio signed {}:// but your app saw {}:// (https is terminated before your app: \
                 proxy, load balancer or ngrok)",
                signed.scheme, saw.scheme
            )
        } else if to_http {
            format!(
                "Twilio called {}:// but your app saw {}:// (the webhook URL in the Twilio console uses {})",
                signed.scheme, saw.scheme, signed.scheme
            )
        } else if host || lower {
            format!("Twilio called host {} but your app saw {}", signed.host, saw.host)
        } else if port {
            format!("Twilio called {} but your app saw {}", signed.origin(), saw.origin())
        } else {
            "Twilio drops user:pass@ from the URL it signs".to_owned()
        };
        let forwarded = if to_https || host {
            ", or trust_forwarded_headers = true if your proxy sends X-Forwarded-Proto and X-Forwarded-Host"
        } else {
            ""
        };
        fixes.push(format!(
            "{reason}: set base_url = \"{}\" under [default.twilio] in Rocket.toml{forwarded}",
            signed.origin()
        ));
    }
    for change in changes {
        let fix = match change {
            Change::PrefixAdded(prefix) => format!(
                "a proxy strips {prefix} from the path Twilio called: validate against the public URL \
                 (base_url = \"{}{prefix}\")",
                signed.origin()
            ),
            Change::PrefixDropped(prefix) => format!(
                "your app sees the path prefix {prefix}, which Twilio did not call (a proxy adds it, or \
                 the app is mounted there): validate against the URL Twilio calls, {signed}"
            ),
            other => match fixed_hint(other) {
                Some(hint) => hint.to_owned(),
                None => continue,
            },
        };
        fixes.push(fix);
    }
    fixes
}

/// The fix for a change whose advice does not depend on the URLs.
fn fixed_hint(change: &Change) -> Option<&'static str> {
    Some(match change {
        Change::TrailingSlashAdded => {
            "the URL Twilio calls ends with '/' but your app saw it without: make the webhook URL in the \
             Twilio console and your route identical"
        }
        Change::TrailingSlashRemoved => {
            "your app saw a trailing '/' that the URL Twilio calls does not have: make the webhook URL in \
             the Twilio console and your route identical"
        }
        Change::QueryDropped => {
            "the URL Twilio called has no query string: something between Twilio and your app adds it, \
             validate against the URL Twilio calls"
        }
        Change::ParamsDecoded => {
            "give the parameter values decoded (From=+14155550100, not From=%2B14155550100): Twilio \
             signs the values your framework parses from the form"
        }
        Change::ParamsIgnored => {
            "Twilio signed the URL alone: GET requests (parameters in the query) and JSON bodies \
             (bodySHA256 in the URL) are validated without POST parameters"
        }
        Change::SecondaryToken => {
            "the request was signed with your secondary Auth Token: Twilio signs with the account's \
             current primary token, so the token your app uses is outdated (update it, or accept both \
             while the rotation lasts)"
        }
        Change::SignatureSpaces => {
            "the X-Twilio-Signature had been URL-decoded ('+' became a space): use the raw header value"
        }
        Change::SignaturePercentEncoded => {
            "the signature was percent-encoded (%2B, %2F, %3D): use the raw header value"
        }
        _ => return None,
    })
}

/// Decodes `%XX` escapes; invalid escapes are kept as they are.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `application/x-www-form-urlencoded` decoding of one name or value: `+` is a space, then `%XX`.
fn form_decode(s: &str) -> String {
    percent_decode(&s.replace('+', " "))
}
