//! Dashboards from grafana.com by id or URL: which dashboard and revision a user means, and the
//! path under which this server proxies grafana.com's download API (the optional
//! `deploy/provisioning/grafana-com.nginx.conf.example`; the browser never talks to another
//! origin). Pure: the importer fetches.

/// Where nginx proxies grafana.com's API (see the shipped example location).
pub const PROXY_PATH: &str = "/grafana.com/api/dashboards/";

/// A dashboard on grafana.com: its id, and a revision when the user named one (else the latest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrafanaComDashboard {
    pub id: u64,
    pub revision: Option<u64>,
}

impl GrafanaComDashboard {
    /// Reads what a user pastes: `1860`, `1860/37` (id and revision), a dashboard page
    /// (`https://grafana.com/grafana/dashboards/1860-node-exporter-full/`, also the older
    /// `grafana.com/dashboards/1860`), or the download API
    /// (`https://grafana.com/api/dashboards/1860/revisions/37/download`).
    pub fn parse(input: &str) -> Result<GrafanaComDashboard, String> {
        let input = input.trim();
        let not_understood = || {
            format!(
                "{input:?} is not a grafana.com dashboard id or URL (for example 1860, or https://grafana.com/grafana/dashboards/1860-node-exporter-full/)"
            )
        };
        let leading_number = |segment: &str| -> Option<u64> {
            let digits: String = segment.chars().take_while(char::is_ascii_digit).collect();
            let rest = &segment[digits.len()..];
            (!digits.is_empty() && (rest.is_empty() || rest.starts_with('-')))
                .then(|| digits.parse().ok())
                .flatten()
        };
        if input.is_empty() {
            return Err("Enter a grafana.com dashboard id or URL.".to_string());
        }
        if let Some((id, revision)) =
            input.split_once('/').filter(|(id, _)| id.chars().all(|c| c.is_ascii_digit()))
        {
            return match (id.parse(), revision.parse()) {
                (Ok(id), Ok(revision)) => Ok(GrafanaComDashboard { id, revision: Some(revision) }),
                _ => Err(not_understood()),
            };
        }
        if input.chars().all(|c| c.is_ascii_digit()) {
            return input
                .parse()
                .map(|id| GrafanaComDashboard { id, revision: None })
                .map_err(|_| not_understood());
        }
        let without_scheme =
            input.strip_prefix("https://").or_else(|| input.strip_prefix("http://")).unwrap_or(input);
        let (host, path) = without_scheme.split_once('/').unwrap_or((without_scheme, ""));
        if host != "grafana.com" && host != "www.grafana.com" {
            return Err(not_understood());
        }
        let path = path.split(['?', '#']).next().unwrap_or("");
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            ["grafana", "dashboards", page, ..] | ["dashboards", page, ..] => leading_number(page)
                .map(|id| GrafanaComDashboard { id, revision: None })
                .ok_or_else(not_understood),
            ["api", "dashboards", id, "revisions", revision, ..] => {
                let id = id.parse().map_err(|_| not_understood())?;
                let revision = if *revision == "latest" {
                    None
                } else {
                    Some(revision.parse().map_err(|_| not_understood())?)
                };
                Ok(GrafanaComDashboard { id, revision })
            }
            ["api", "dashboards", id, ..] => {
                id.parse().map(|id| GrafanaComDashboard { id, revision: None }).map_err(|_| not_understood())
            }
            _ => Err(not_understood()),
        }
    }

    /// The path this server answers the download at.
    pub fn download_path(&self) -> String {
        let revision = self.revision.map_or_else(|| "latest".to_string(), |r| r.to_string());
        format!("{PROXY_PATH}{}/revisions/{revision}/download", self.id)
    }

    /// What an answer means for the user, given its status and whether it was the app shell
    /// (this server has no grafana.com location, so the path fell through to the app).
    pub fn problem(&self, status: u16, is_html: bool) -> Option<String> {
        let revision = self.revision.map_or_else(String::new, |r| format!(" revision {r}"));
        match status {
            _ if is_html => Some(
                "This server does not proxy grafana.com: enable deploy/provisioning/grafana-com.nginx.conf.example (README, \"Importing from grafana.com\"), or download the JSON and drop it here.".to_string(),
            ),
            200..=299 => None,
            404 => Some(format!("grafana.com has no dashboard {}{revision} (HTTP 404).", self.id)),
            502 | 504 => Some(format!(
                "grafana.com could not be reached from this server (HTTP {status}): check its network access, or download the JSON and drop it here."
            )),
            _ => Some(format!("grafana.com answered HTTP {status} for dashboard {}{revision}.", self.id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(input: &str) -> Result<(u64, Option<u64>), String> {
        GrafanaComDashboard::parse(input).map(|d| (d.id, d.revision))
    }

    #[test]
    fn ids_and_urls_people_paste() {
        assert_eq!(parsed("1860"), Ok((1860, None)));
        assert_eq!(parsed(" 1860/37 "), Ok((1860, Some(37))));
        assert_eq!(
            parsed("https://grafana.com/grafana/dashboards/1860-node-exporter-full/"),
            Ok((1860, None))
        );
        assert_eq!(
            parsed("https://grafana.com/grafana/dashboards/1860-node-exporter-full/?tab=revisions"),
            Ok((1860, None))
        );
        assert_eq!(parsed("grafana.com/grafana/dashboards/1860"), Ok((1860, None)));
        assert_eq!(parsed("https://grafana.com/dashboards/405"), Ok((405, None)));
        assert_eq!(
            parsed("https://grafana.com/api/dashboards/1860/revisions/37/download"),
            Ok((1860, Some(37)))
        );
        assert_eq!(
            parsed("https://grafana.com/api/dashboards/1860/revisions/latest/download"),
            Ok((1860, None))
        );
    }

    #[test]
    fn anything_else_says_what_is_expected() {
        for input in [
            "",
            "node exporter",
            "https://example.com/grafana/dashboards/1860",
            "1860-abc/x",
            "https://grafana.com/grafana/dashboards/node-1860/",
            "99999999999999999999999",
        ] {
            assert!(GrafanaComDashboard::parse(input).is_err(), "{input:?} is not a dashboard");
        }
        assert!(GrafanaComDashboard::parse("x").unwrap_err().contains("for example 1860"));
    }

    #[test]
    fn download_paths_and_answers() {
        let latest = GrafanaComDashboard { id: 1860, revision: None };
        assert_eq!(latest.download_path(), "/grafana.com/api/dashboards/1860/revisions/latest/download");
        let pinned = GrafanaComDashboard { id: 1860, revision: Some(37) };
        assert_eq!(pinned.download_path(), "/grafana.com/api/dashboards/1860/revisions/37/download");
        assert_eq!(latest.problem(200, false), None);
        assert!(latest.problem(200, true).unwrap().contains("does not proxy grafana.com"));
        assert_eq!(
            pinned.problem(404, false).unwrap(),
            "grafana.com has no dashboard 1860 revision 37 (HTTP 404)."
        );
        assert!(latest.problem(502, false).unwrap().contains("could not be reached"));
        assert!(latest.problem(403, false).unwrap().contains("HTTP 403"));
    }
}
