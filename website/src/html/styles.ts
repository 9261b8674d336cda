/**
 * The whole stylesheet, inlined into every page's <head>: one round trip renders the page, and at
 * a few kilobytes (compressed by the proxy) it costs less than a second request would. Colours are
 * variables so dark mode is one small block. Keep it small; there is a test on its size.
 */
export const styles = `
:root{--ink:#17202c;--muted:#5a6371;--line:#e6e1da;--soft:#f7f4f0;--bg:#fff;--accent:#c2410c;--accent-ink:#fff;--accent-soft:#fff1e8;--code:#12161f;--code-ink:#e4e7ec;--ok:#15803d}
@media (prefers-color-scheme:dark){:root{--ink:#e8eaee;--muted:#a3abb8;--line:#2b313b;--soft:#171b22;--bg:#0f1217;--accent:#fb8a4e;--accent-ink:#1a0d05;--accent-soft:#2a1a10;--code:#090b0f;--code-ink:#e4e7ec;--ok:#4ade80}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.65 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}a:hover{text-decoration-thickness:2px}
img,svg{max-width:100%;height:auto}
h1,h2,h3{line-height:1.2;letter-spacing:-.01em}
h1{font-size:clamp(2rem,4.5vw,3.1rem);margin:.2em 0 .4em}
h2{font-size:1.6rem;margin:2em 0 .6em}
h3{font-size:1.2rem;margin:1.6em 0 .5em}
code{font:.875em/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:.05em .3em}
pre{background:var(--code);color:var(--code-ink);border-radius:8px;padding:1rem 1.2rem;overflow-x:auto;line-height:1.5}
pre code{background:none;border:0;padding:0;color:inherit;font-size:.85rem}
.table{overflow-x:auto;margin:1.2rem 0}
table{border-collapse:collapse;width:100%;font-size:.94rem}
th,td{text-align:left;vertical-align:top;padding:.5rem .7rem;border-bottom:1px solid var(--line)}
th{font-weight:600;background:var(--soft)}
td:first-child code{white-space:nowrap}
.wrap{max-width:72rem;margin:0 auto;padding:0 1.25rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem;z-index:9}
.site-header{border-bottom:1px solid var(--line)}
.site-header .wrap{display:flex;align-items:center;gap:1.5rem;min-height:4rem;flex-wrap:wrap}
.logo{display:flex;align-items:center;gap:.5rem;font-weight:700;font-size:1.2rem;color:var(--ink);text-decoration:none}
.nav{display:flex;gap:1.2rem;flex:1;flex-wrap:wrap}
.nav a,.account a{color:var(--ink);text-decoration:none;font-weight:500}
.nav a[aria-current]{color:var(--accent)}
.account{display:flex;gap:1rem;align-items:center}
.btn{display:inline-block;padding:.6rem 1.1rem;border-radius:8px;font-weight:600;text-decoration:none;border:1px solid var(--line);color:var(--ink);background:var(--bg)}
.btn-primary,.account .btn-primary{background:var(--accent);border-color:var(--accent);color:var(--accent-ink)}
.btn-primary:hover{filter:brightness(1.08)}
main{min-height:60vh}
.hero{padding:4.5rem 0 3rem;text-align:center}
.hero .lead{font-size:1.25rem;color:var(--muted);max-width:42rem;margin:0 auto 2rem}
.hero .actions{display:flex;gap:.8rem;justify-content:center;flex-wrap:wrap}
.hero .note{color:var(--muted);font-size:.9rem;margin-top:1rem}
.preview{display:block;margin:3rem auto 0;border-radius:12px;border:1px solid var(--line);box-shadow:0 20px 50px -20px rgba(23,32,44,.35)}
.section{padding:3.5rem 0;border-top:1px solid var(--line)}
.section h2:first-child,.section .eyebrow+h2{margin-top:0}
.eyebrow{color:var(--accent);font-weight:600;text-transform:uppercase;letter-spacing:.08em;font-size:.8rem;margin:0}
.eyebrow+h1,.eyebrow+h2{margin-top:.3em}
.eyebrow a{text-decoration:none}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:1.2rem}
.card{border:1px solid var(--line);border-radius:12px;padding:1.3rem 1.4rem;background:var(--bg)}
.card h3{margin-top:0}
.card p:last-child{margin-bottom:0}
.link-card{text-decoration:none;color:var(--ink)}.link-card:hover{border-color:var(--accent)}.link-card h2{font-size:1.15rem;margin:0 0 .4rem}
.muted{color:var(--muted)}
.check{list-style:none;padding:0}
.check li{padding-left:1.6rem;position:relative;margin:.35rem 0}
.check li::before{content:"\\2713";position:absolute;left:0;color:var(--ok);font-weight:700}
.prose{max-width:46rem}
.prose li{margin:.25rem 0}
.page-head{padding:3rem 0 1rem}
.page-head p:not(.eyebrow){color:var(--muted);font-size:1.15rem;max-width:44rem}
.toggle{display:inline-flex;border:1px solid var(--line);border-radius:999px;padding:.25rem;gap:.25rem;background:var(--soft)}
.toggle a{padding:.35rem 1rem;border-radius:999px;text-decoration:none;color:var(--ink);font-weight:500}
.toggle a[aria-current]{background:var(--bg);box-shadow:0 1px 3px rgba(0,0,0,.15);color:var(--accent)}
.tiers{display:flex;flex-wrap:wrap;gap:.4rem;margin:1.2rem 0 2rem}
.tiers a{padding:.3rem .8rem;border:1px solid var(--line);border-radius:6px;text-decoration:none;color:var(--ink);font-variant-numeric:tabular-nums}
.tiers a[aria-current]{border-color:var(--accent);color:var(--accent);font-weight:600}
.plans{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1.5rem}
.plan{border:1px solid var(--line);border-radius:14px;padding:1.8rem}
.plan.featured{border:2px solid var(--accent)}
.plan h2{margin:0}
.plan .summary{min-height:3.3em}
.price{font-size:2.6rem;font-weight:700;margin:.8rem 0 0;font-variant-numeric:tabular-nums}
.price small{font-size:1rem;font-weight:400;color:var(--muted)}
.docs{display:grid;grid-template-columns:14rem minmax(0,1fr);gap:3rem;padding-top:2.5rem;padding-bottom:2.5rem}
.docs .prose{max-width:52rem}
.docs nav ul{list-style:none;padding:0;margin:0;position:sticky;top:1rem}
.docs nav a{display:block;padding:.3rem .6rem;border-radius:6px;color:var(--ink);text-decoration:none}
.docs nav a[aria-current]{background:var(--accent-soft);color:var(--accent);font-weight:600}
.toc{border-left:3px solid var(--line);padding:.2rem 0 .2rem 1rem;margin:1.5rem 0;font-size:.95rem}
.toc ul{margin:.3rem 0;padding-left:1.1rem}
.toc li{margin:.1rem 0}
.toc ul ul{display:flex;flex-wrap:wrap;gap:0 .9rem;padding:0;list-style:none;font-size:.88rem}
.endpoint{border:1px solid var(--line);border-radius:10px;padding:1rem 1.3rem;margin:1.5rem 0}
.endpoint h3{margin-top:.3rem;overflow-wrap:anywhere;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.05rem}
.method{display:inline-block;font:700 .75rem/1 ui-monospace,Menlo,monospace;padding:.3rem .5rem;border-radius:4px;background:var(--accent);color:var(--accent-ink);margin-right:.5rem;vertical-align:middle}
.post-list{list-style:none;padding:0}
.post-list>li{padding:1.4rem 0;border-bottom:1px solid var(--line)}
.post-list .tags{margin-top:.6rem}
.post-list h2{margin:.2rem 0 .4rem;font-size:1.4rem}
.post-list h2 a{color:var(--ink);text-decoration:none}
.meta{color:var(--muted);font-size:.9rem}
.tags{display:inline-flex;gap:.4rem;flex-wrap:wrap;list-style:none;padding:0;margin:0}
.tags a{font-size:.8rem;padding:.1rem .55rem;border-radius:999px;background:var(--accent-soft);text-decoration:none}
.site-footer{margin-top:4rem;border-top:1px solid var(--line);background:var(--soft);padding:2.5rem 0;font-size:.92rem}
.site-footer .grid{grid-template-columns:repeat(auto-fit,minmax(10rem,1fr))}
.site-footer h2{font-size:.95rem;margin:0 0 .6rem}
.site-footer ul{list-style:none;padding:0;margin:0}
.site-footer li{margin:.3rem 0}
.site-footer a{color:var(--ink);text-decoration:none}
.site-footer a:hover{text-decoration:underline}
.fine{color:var(--muted);margin-top:2rem}
@media (max-width:760px){.docs{grid-template-columns:minmax(0,1fr);gap:1rem}.docs nav ul{position:static;display:flex;flex-wrap:wrap;gap:.1rem;font-size:.9rem}.docs nav a{padding:.15rem .5rem}.toc ul ul{display:none}.site-header .wrap{gap:.6rem 1.2rem;padding-top:.6rem;padding-bottom:.6rem}.nav{order:3;flex-basis:100%}.hero{padding-top:2.5rem}}
`
  .replace(/\n/g, '')
  .trim();
