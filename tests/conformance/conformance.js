// Drives chatgate with SuperOffice's official TypeScript client, npm
// @superoffice/webapi (pinned in package.json), and checks the values the
// client hands back: Dates (as instants), strings and nulls.
//
// tests/conformance_test.go runs it against the real gateway, configured by
// Caddyfile.example, in front of a fresh sample backend:
//
//	TZ=UTC CHATGATE_URL=http://127.0.0.1:8080 node conformance.js
//
// It prints one line per check and exits 1 when any fails. The checks change
// the backend's sessions, in an order that leaves each group's sessions to
// itself: Basic uses 157, tickets 184, bearer tokens 798; the time-zone,
// language and body checks only make calls that change nothing.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { WebApi, ChatAgent } = require("@superoffice/webapi");

const pinned = require("./package.json").dependencies["@superoffice/webapi"];

const baseUrl = process.env.CHATGATE_URL;
if (!baseUrl) {
  console.error("CHATGATE_URL (the gateway's base URL) is not set");
  process.exit(2);
}
// Dates without an offset are read by the client as the runtime's local
// time; the expected instants below assume that time is UTC.
if (new Date(2000, 0, 1).getTimezoneOffset() !== 0 || new Date(2000, 6, 1).getTimezoneOffset() !== 0) {
  console.error("run with TZ=UTC: the expected instants assume the client's local time is UTC");
  process.exit(2);
}

// The credentials of the demo users: Basic passwords from Caddyfile.example,
// tickets and tokens the sample backend knows.
const users = {
  tje0: { password: "Tje0", ticket: "7T:tje0-ticket", token: "tje0-token" },
  ann: { password: "ann-pw", ticket: "7T:ann-ticket", token: "ann-token" },
  bob: { password: "bob-pw", ticket: "7T:bob-ticket", token: "bob-token" },
};

// agent returns a ChatAgent for user, authenticated with scheme (basic,
// ticket or bearer), with agent options opts. Every agent gets a
// configuration of its own: the client keeps its credentials in a global
// configuration that `new WebApi` resets, and with a ticket or token it
// writes per-call options into that configuration's shared header object,
// where they stay for later calls (see README.md).
// The agent remembers its last HTTP exchange in `last`.
function agent(user, scheme, opts = {}) {
  const api = new WebApi(baseUrl);
  const u = users[user];
  if (scheme === "basic") api.authenticateWithPassword(user, u.password);
  else if (scheme === "ticket") api.authenticateWithTicket(u.ticket);
  else if (scheme === "bearer") api.authenticateWithToken(u.token);
  else throw new Error("unknown scheme " + scheme);
  const a = new ChatAgent({ baseUrl, ...opts });
  a._axios.interceptors.response.use(
    (res) => {
      a.last = res;
      return res;
    },
    (err) => {
      a.last = err.response;
      return Promise.reject(err);
    },
  );
  return a;
}

let failed = 0;
let passed = 0;

// check runs one named check; fn throws on a failure.
async function check(name, fn) {
  try {
    const note = await fn();
    passed++;
    console.log(`ok   ${name}${note ? ` (${note})` : ""}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}\n     ${describe(err).replace(/\n/g, "\n     ")}`);
  }
}

function describe(err) {
  if (err && err.response) {
    const r = err.response;
    const body = typeof r.data === "string" ? r.data : JSON.stringify(r.data);
    return `HTTP ${r.status} from ${r.config.method.toUpperCase()} ${r.config.baseURL}${r.config.url}: ${body}`;
  }
  return err && err.stack ? err.stack.split("\n").slice(0, 2).join("\n") : String(err);
}

function expect(what, got, want) {
  if (got !== want) throw new Error(`${what} = ${JSON.stringify(got)}; want ${JSON.stringify(want)}`);
}

const name = (associate) => (associate ? associate.name : null);

// session asserts a ChatSessionEntity the client handed back: its id, the
// Name of its User and of its TransferTo (null for none).
function session(s, id, user, transferTo) {
  if (s === null || typeof s !== "object") throw new Error(`answer = ${JSON.stringify(s)}; want session ${id}`);
  expect("chatSessionId", s.chatSessionId, id);
  expect("user.name", name(s.user), user);
  expect("transferTo.name", name(s.transferTo), transferTo);
  return `user ${user}, transferTo ${transferTo}`;
}

// trio runs the transfer, accept and reject rules with scheme on session id,
// whose User is owner and whose TransferTo is none at the start (or pending,
// which the owner's transfer replaces). a, b and c are the three users, owner
// first: owner transfers to b, c cannot transfer or accept, b accepts; b
// transfers to a, c cannot reject, a rejects.
async function trio(scheme, id, [a, b, c]) {
  const A = a.toUpperCase();
  const B = b.toUpperCase();
  await check(`${scheme}: ${a} transfers ${id} to ${b}`, async () =>
    session(await agent(a, scheme).transferChatSessionAsync(id, b), id, A, B),
  );
  await check(`${scheme}: ${c} (not the owner) transfers ${id} to ${c}: nothing changes`, async () =>
    session(await agent(c, scheme).transferChatSessionAsync(id, c), id, A, B),
  );
  await check(`${scheme}: ${c} (not the target) accepts ${id}: nothing changes`, async () =>
    session(await agent(c, scheme).acceptChatSessionTransferAsync(id), id, A, B),
  );
  await check(`${scheme}: ${b} accepts ${id}`, async () =>
    session(await agent(b, scheme).acceptChatSessionTransferAsync(id), id, B, null),
  );
  await check(`${scheme}: ${b} transfers ${id} to ${a}`, async () =>
    session(await agent(b, scheme).transferChatSessionAsync(id, a), id, B, A),
  );
  await check(`${scheme}: ${c} (not the target) rejects ${id}: nothing changes`, async () =>
    session(await agent(c, scheme).rejectChatSessionTransferAsync(id), id, B, A),
  );
  await check(`${scheme}: ${a} rejects ${id}`, async () =>
    session(await agent(a, scheme).rejectChatSessionTransferAsync(id), id, B, null),
  );
}

// The instants of session 157's dates (samplebackend/data.go).
const instants = {
  whenRequested: { wire: "WhenRequested", iso: "2000-12-04T10:10:26.109Z" }, // 11:10:26.1095254+01:00
  whenStarted: { wire: "WhenStarted", iso: "2021-06-18T09:10:26.109Z" }, // 11:10:26.1095254+02:00 (summer time)
};

const hasOffset = (s) => /(Z|[+-]\d\d:?\d\d)$/.test(s);

// wallTimeAsUTC is the Date the client makes of instant's wall time in zone
// written without an offset: with TZ=UTC, V8 reads it as UTC.
function wallTimeAsUTC(iso, zone) {
  const d = new Date(iso);
  const parts = {};
  for (const p of new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(d)) {
    parts[p.type] = Number(p.value);
  }
  return new Date(
    Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, d.getUTCMilliseconds()),
  );
}

// timezone checks one SO-Timezone form: bob's accept of 157 (not his, so
// nothing changes) answers session 157, whose dates must be the same
// instants whatever the form. The form changes the notation only: an answer
// with an offset must be the instant exactly; one without an offset (allowed
// only without includeTZOffset) must be the wall time in the zone the form
// names (base zone Europe/Oslo when it names none), which the client reads
// as UTC.
async function timezone(label, agentOpts, callOpts, { header, include, zone }) {
  await check(`SO-Timezone ${label}`, async () => {
    const a = agent("bob", "basic", agentOpts);
    const s = await a.acceptChatSessionTransferAsync(157, callOpts);
    if (s === null) throw new Error("answer = null; want session 157");
    const sent = a.last.config.headers.get("SO-Timezone");
    expect("SO-Timezone header the client sent", sent === undefined ? null : sent, header);
    const notes = [];
    for (const [field, { wire, iso }] of Object.entries(instants)) {
      const raw = a.last.data[wire];
      const got = s[field];
      if (!(got instanceof Date) || isNaN(got)) throw new Error(`${field} = ${got} from ${JSON.stringify(raw)}`);
      if (include && !hasOffset(raw)) throw new Error(`${wire} = ${JSON.stringify(raw)} has no offset despite includeTZOffset`);
      const want = hasOffset(raw) ? new Date(iso) : wallTimeAsUTC(iso, zone);
      if (got.getTime() !== want.getTime()) {
        throw new Error(`${field} = ${got.toISOString()} from ${JSON.stringify(raw)}; want ${want.toISOString()} (${iso})`);
      }
      notes.push(`${wire} ${raw}`);
    }
    return notes.join(", ");
  });
}

// strings returns every string in v.
function strings(v, out = []) {
  if (typeof v === "string") out.push(v);
  else if (v && typeof v === "object") for (const x of Object.values(v)) strings(x, out);
  return out;
}

// A SuperOffice multi-language string: US:"Supplier";NO:"Leverandør".
const multiLanguage = /^\s*([A-Za-z]{2}:"(?:[^"\\]|\\.)*"\s*;?\s*)+$/;

// language checks one language option: the call works, the client sent the
// headers it should, and no multi-language string is left untranslated.
async function language(label, agentOpts, callOpts, headers) {
  await check(`language ${label}`, async () => {
    const a = agent("bob", "basic", agentOpts);
    const s = await a.acceptChatSessionTransferAsync(157, callOpts);
    if (s === null) throw new Error("answer = null; want session 157");
    expect("chatSessionId", s.chatSessionId, 157);
    expect("customerName", s.customerName, "Streich, Renner and Bradtke");
    for (const [h, v] of Object.entries(headers)) {
      const sent = a.last.config.headers.get(h);
      expect(`${h} header the client sent`, sent === undefined ? null : sent, v);
    }
    const left = strings(a.last.data).filter((x) => multiLanguage.test(x));
    if (left.length) throw new Error(`multi-language strings not translated: ${JSON.stringify(left)}`);
  });
}

async function main() {
  // The package's exports map hides its package.json from require.
  const pkg = path.join(path.dirname(require.resolve("@superoffice/webapi")), "..", "..", "package.json");
  const { version } = JSON.parse(fs.readFileSync(pkg, "utf8"));
  console.log(`chatgate at ${baseUrl}, @superoffice/webapi ${version}`);
  if (version !== pinned) {
    console.log(`FAIL the installed client is ${version}; package.json pins ${pinned}: run npm ci`);
    process.exitCode = 1;
    return;
  }

  // 1. The transfer rules with Basic (users in Caddyfile.example).
  await trio("basic", 157, ["tje0", "ann", "bob"]);

  // 2. The same with tickets and bearer tokens: the gateway learns the caller
  // from the backend's identity_route.
  await trio("ticket", 184, ["ann", "bob", "tje0"]);
  await trio("bearer", 798, ["bob", "tje0", "ann"]);

  // 3. A session that does not exist: the backend's 404 is 200 null.
  await check("basic: tje0 transfers 999999 (no such session): null", async () => {
    expect("answer", await agent("tje0", "basic").transferChatSessionAsync(999999, "ann"), null);
  });

  // 4. Every SO-Timezone form the client sends (agents-chat.md C.2). Session
  // 157 is ANN's now (or TJE0's if the Basic checks failed): bob's accept
  // changes nothing.
  const oslo = "Europe/Oslo";
  const ny = "America/New_York";
  await timezone("absent", {}, undefined, { header: null, zone: oslo });
  await timezone('agent "US-NY"', { timezone: "US-NY" }, undefined, { header: "US-NY", zone: ny });
  await timezone('agent "US-NY" + timezoneInclude', { timezone: "US-NY", timezoneInclude: true }, undefined, {
    header: "US-NY,includeTZOffset",
    include: true,
  });
  await timezone("agent timezoneInclude alone", { timezoneInclude: true }, undefined, {
    header: "includeTZOffset",
    include: true,
  });
  await timezone('per call {timezone: ""}', {}, { timezone: "" }, { header: "", zone: oslo });
  await timezone('per call "us-ny" + timezoneInclude', {}, { timezone: "us-ny", timezoneInclude: true }, {
    header: "us-ny,includeTZOffset",
    include: true,
  });
  await timezone('per call "utc" + timezoneInclude', {}, { timezone: "utc", timezoneInclude: true }, {
    header: "utc,includeTZOffset",
    include: true,
  });
  await timezone('agent "261" (numeric id of NO)', { timezone: "261" }, undefined, { header: "261", zone: oslo });
  await timezone('per call "UTC" on an agent with "US-NY" + timezoneInclude', { timezone: "US-NY", timezoneInclude: true }, { timezone: "UTC" }, {
    header: "UTC",
    zone: "UTC",
  });

  // With a ticket or a token, the client keeps the Authorization header in
  // a header object it shares with every later request, and writes each
  // call's own options into it: one call's {timezone: ""} sends
  // "SO-Timezone: " on every later call of every agent built from that
  // configuration, the agent's own zone overridden.
  await check('bearer: a per-call {timezone: ""} sticks to the later calls', async () => {
    const a = agent("bob", "bearer", { timezone: "US-NY" });
    await a.acceptChatSessionTransferAsync(157, { timezone: "" });
    const s = await a.acceptChatSessionTransferAsync(157);
    expect("SO-Timezone header of the next call", a.last.config.headers.get("SO-Timezone"), "");
    if (s === null) throw new Error("answer = null; want session 157");
    for (const [field, { wire, iso }] of Object.entries(instants)) {
      const raw = a.last.data[wire];
      const want = hasOffset(raw) ? new Date(iso) : wallTimeAsUTC(iso, oslo);
      if (!(s[field] instanceof Date) || s[field].getTime() !== want.getTime()) {
        throw new Error(`${field} = ${s[field]} from ${JSON.stringify(raw)}; want ${want.toISOString()}`);
      }
    }
  });

  // 5. Languages.
  await language('agent languageCode "nb"', { languageCode: "nb" }, undefined, { "SO-Language": "nb", "Accept-Language": null });
  await language('agent languageCode "en"', { languageCode: "en" }, undefined, { "SO-Language": "en" });
  await language('agent cultureCode "nb-NO"', { cultureCode: "nb-NO" }, undefined, { "SO-Culture": "nb-NO", "SO-Language": null });
  await language('per call languageCode "nb", cultureCode "nb-NO"', {}, { languageCode: "nb", cultureCode: "nb-NO" }, {
    "SO-Language": "nb",
    "Accept-Language": "nb",
    "SO-Culture": "nb-NO",
  });

  // The client's other bodies (the literal null of the Get/Delete/CreateDefault
  // methods, none at all for the list methods) come with the other 28 methods
  // (issue 16); the trio always sends an object.

  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
