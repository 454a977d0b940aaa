/** The pages' stylesheet, inline and allowed by its hash (page-security.ts). */
export const PAGE_STYLE = `
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#f3f4f6;line-height:1.5}
body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;padding:48px 16px}
main{width:100%;max-width:420px;background:#fff;border:1px solid #d8dee4;border-radius:12px;padding:32px 28px;box-shadow:0 1px 3px rgba(0,0,0,.06)}
.brand{margin:0 0 20px;font-size:13px;letter-spacing:.04em;text-transform:uppercase;color:#59636e}
h1{font-size:22px;line-height:1.3;margin:0 0 8px;overflow-wrap:anywhere}
p{margin:0 0 16px}
.muted{color:#59636e;font-size:14px}
.client{overflow-wrap:anywhere;font-weight:600}
.tag{white-space:nowrap;display:inline-block;font-size:12px;font-weight:500;color:#6e4b00;background:#fff4d6;border:1px solid #f0d58a;border-radius:999px;padding:0 8px;margin:0 4px 0 0;vertical-align:1px}
label{display:block;font-size:14px;font-weight:600;margin:16px 0 6px}
input[type=text],input[type=password]{width:100%;font:inherit;padding:10px 12px;border:1px solid #c4ccd4;border-radius:8px;background:#fff}
input:focus,button:focus{outline:2px solid #0969da;outline-offset:1px}
.actions{display:flex;gap:12px;margin-top:24px}
button{flex:1;font:inherit;font-weight:600;padding:10px 16px;border-radius:8px;border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f2328;border-color:#c4ccd4}
.error{color:#82071e;background:#ffebe9;border:1px solid #ffcecb;border-radius:8px;padding:10px 12px;font-size:14px}
.warning{color:#6e4b00;background:#fff8e1;border:1px solid #f0d58a;border-radius:8px;padding:10px 12px;font-size:14px}
dl{margin:0 0 16px;font-size:14px}
dt{color:#59636e;margin-top:8px}
dd{margin:0;overflow-wrap:anywhere;font-weight:500}
ul.scopes{list-style:none;padding:0;margin:0 0 16px;border:1px solid #d8dee4;border-radius:8px}
ul.scopes li{padding:10px 12px;border-top:1px solid #d8dee4;font-size:14px}
ul.scopes li:first-child{border-top:0}
ul.scopes code{font-size:13px;background:#f3f4f6;border-radius:4px;padding:1px 6px}
ul.scopes .refused{color:#59636e;text-decoration:line-through}
@media (max-width:480px){body{padding:16px 8px}main{padding:24px 18px;border-radius:10px}.actions{flex-direction:column-reverse}}
`;
