// The emulator against the reference: token check (401), polling_rate range (422), local_id
// registration and scopes (422), contents validation (400), size limits (422), the service_record
// 422 table, GET /messages deleting what it returns, pull requests, recorded exchanges.
import test from "ava";
import { CiofTerminal } from "../peers/ciof-terminal.ts";
import type { Request } from "../peers/ciof-terminal.ts";
import { KEY, T0, terminalContracts, terminalData, terminalServices } from "./site.ts";

const make = (extra: Partial<ConstructorParameters<typeof CiofTerminal>[0]> = {}) =>
  new CiofTerminal({ authorizationKey: KEY, services: terminalServices(), data: terminalData(), contracts: terminalContracts(), now: () => T0, ...extra });
const req = (method: string, path: string, body?: unknown, key = KEY): Request => ({
  method, path: "/hct/api/v2" + path, headers: { authorization: "Bearer token=" + key, "content-type": "application/json" }, body: body === undefined ? "" : JSON.stringify(body),
});
const call = (t: CiofTerminal, method: string, path: string, body?: unknown, key?: string) => {
  const r = t.handle(req(method, path, body, key));
  if (r.kind !== "reply") throw new Error("fault");
  let parsed: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try { parsed = r.body ? JSON.parse(r.body) : undefined; } catch { parsed = r.body; }
  return { status: r.status, body: parsed };
};
const row = ["2026-11-22T09:00:00.000+09:00", "100", "0.2", "0.3", "true", "true"];

test("401 without the exact `Bearer token=<key>` header", (t) => {
  const term = make();
  t.is(call(term, "GET", "/trade_contracts", undefined, "wrong").status, 401);
  const r = term.handle({ method: "GET", path: "/hct/api/v2/trade_contracts", headers: { authorization: "Bearer " + KEY }, body: "" });
  t.is(r.kind === "reply" && r.status, 401, "RFC 6750 syntax is not what the terminal expects");
  t.is(call(term, "GET", "/trade_contracts").status, 200);
  t.is(term.log.length, 3, "every exchange recorded");
});

test("PUT /controller: polling_rate 10–1000 s, else 422", (t) => {
  const term = make();
  t.is(call(term, "PUT", "/controller", { status: "ready", polling_rate: 9 }).status, 422);
  t.is(call(term, "PUT", "/controller", { status: "ready", polling_rate: 1001 }).status, 422);
  t.is(call(term, "PUT", "/controller", { status: "ready", polling_rate: 10 }).status, 200);
  t.is(call(term, "PUT", "/controller", { status: "stopped" }).status, 200);
  t.is(call(term, "PUT", "/controller", { status: "asleep" }).status, 400);
  t.deepEqual(term.controllerStatus.map((s) => s.status), ["ready", "stopped"]);
});

test("local_id registration: by id, then usable alone; uniqueness per scope", (t) => {
  const term = make();
  const svc = (local: string, procLocal: string, evLocal: string, id?: string) => [{ ...(id ? { id } : {}), local_id: local, status: "ready", process_implementations: [{ id: "10601", local_id: procLocal, status: "ready", event_implementations: [{ id: "10801", local_id: evLocal, status: "ready" }] }] }];
  t.is(call(term, "PUT", "/service_implementations", svc("svc_dr", "p1", "e1", "10501")).status, 200);
  t.is(term.services[0].local_id, "svc_dr");
  t.is(call(term, "PUT", "/service_implementations", svc("svc_dr", "p1", "e1")).status, 200, "local_id alone once registered");
  t.is(call(term, "PUT", "/service_implementations", svc("nope", "p1", "e1")).status, 422, "unknown local_id");
  // process local ids are unique within their service
  const clash = [{ id: "10501", local_id: "svc_dr", status: "ready", process_implementations: [
    { id: "10601", local_id: "same", status: "ready", event_implementations: [] },
    { id: "10602", local_id: "same", status: "ready", event_implementations: [] }] }];
  const r = call(term, "PUT", "/service_implementations", clash);
  t.is(r.status, 422);
  t.is(term.services[0].process_implementations[0].local_id, "p1", "all or nothing");
  // data: property local ids unique within the data implementation; index required
  const data = [{ id: "10901", local_id: "d_energy", status: "valid", data_property_implementations: [{ id: "11001", index: 1, local_id: "x", status: "valid" }, { id: "11002", index: 2, local_id: "x", status: "valid" }] }];
  t.is(call(term, "PUT", "/data_implementations", data).status, 422);
  const noIndex = [{ id: "10901", local_id: "d_energy", status: "valid", data_property_implementations: [{ id: "11001", local_id: "x", status: "valid" }] }];
  t.is(call(term, "PUT", "/data_implementations", noIndex).status, 422);
  // data local ids unique within the site
  const twoData = [{ id: "10901", local_id: "dd", status: "valid", data_property_implementations: [] }, { id: "10902", local_id: "dd", status: "valid", data_property_implementations: [] }];
  t.is(call(term, "PUT", "/data_implementations", twoData).status, 422);
});

test("POST /messages: contents checked against the contract's data (400), size limits (422)", (t) => {
  const term = make({ maxRecords: 3 });
  t.is(call(term, "POST", "/messages", { id: "m1", trade_contract_id: "10001", contents: [row] }).status, 200);
  t.is(call(term, "POST", "/messages", { trade_contract_id: "10001", contents: [row.slice(0, 5)] }).status, 400, "column count");
  t.is(call(term, "POST", "/messages", { trade_contract_id: "10001", contents: [[...row.slice(0, 1), "1,5", ...row.slice(2)]] }).status, 400, "float");
  t.is(call(term, "POST", "/messages", { trade_contract_id: "10001", contents: [["2026/11/22 09:00", ...row.slice(1)]] }).status, 400, "datetime");
  t.is(call(term, "POST", "/messages", { trade_contract_id: "10001", contents: [[...row.slice(0, 4), "yes", "true"]] }).status, 400, "boolean");
  t.is(call(term, "POST", "/messages", { trade_contract_id: "10001", contents: [[...row.slice(0, 5), 1]] }).status, 400, "cells are strings");
  t.is(call(term, "POST", "/messages", { trade_contract_id: "10001", contents: [row, row, row, row] }).status, 422, "records");
  t.is(call(term, "POST", "/messages", { trade_contract_id: "10004", contents: [row] }).status, 422, "not in force");
  t.is(call(term, "POST", "/messages", { trade_contract_id: "99", contents: [row] }).status, 422, "unknown contract");
  const big = make({ maxBytes: 500 });
  t.is(call(big, "POST", "/messages", { trade_contract_id: "10001", contents: [row, row, row, row, row, row, row, row] }).status, 422, "bytes");
  const again = call(term, "POST", "/messages", { id: "m1", trade_contract_id: "10001", contents: [row] });
  t.deepEqual(again.body, { id: "m1" });
  t.true(term.messages[1].duplicate, "a repeated id is recorded as a duplicate");
});

test("POST /service_record: the manual's 422 table", (t) => {
  const term = make();
  call(term, "POST", "/messages", { id: "m1", trade_contract_id: "10001", contents: [row] });
  const base = { data_id: "m1", timestamp: "2026-11-22T09:30:00.000+09:00" };
  const codes = (b: object) => { const r = call(term, "POST", "/service_record", b); return r.status === 422 ? r.body.errors.map((e: { parameter: string; code: string }) => e.parameter + ":" + e.code) : r.status; };
  t.is(codes({ ...base, event_type: "read" }), 200);
  t.deepEqual(codes({ ...base, data_id: "nope", event_type: "read" }), ["data:is_invalid"]);
  t.deepEqual(codes({ ...base, event_type: "use" }), ["event_implementation_id:is_required"]);
  t.deepEqual(codes({ ...base, event_type: "use", event_implementation_local_id: "ThSf7UaGDUnd" }), ["process_implementation_local_id:is_required"]);
  t.deepEqual(codes({ ...base, event_type: "use", event_implementation_local_id: "ThSf7UaGDUnd", process_implementation_local_id: "ShN69VWpC9" }), ["service_implementation_local_id:is_required"]);
  t.is(codes({ ...base, event_type: "use", event_implementation_local_id: "ThSf7UaGDUnd", process_implementation_local_id: "ShN69VWpC9", service_implementation_local_id: "x5VrQsPfiqrzc2J" }), 200);
  t.deepEqual(codes({ ...base, event_type: "use", event_implementation_id: "99" }), ["event_implementation:is_invalid"]);
  t.deepEqual(codes({ ...base, event_type: "read", process_implementation_id: "99" }), ["process_implementation:is_invalid"]);
  t.deepEqual(codes({ ...base, event_type: "read", service_implementation_local_id: "nope" }), ["service_implementation:is_invalid"]);
  t.deepEqual(codes({ ...base, event_type: "error" }), ["result:is_invalid", "note:is_invalid"]);
  t.is(codes({ ...base, data_id: "never-accepted", event_type: "error", result: "400", note: "rejected" }), 200, "assumption: error records may name data the terminal refused");
  t.is(call(term, "POST", "/service_record", { data_id: "m1", event_type: "read" }).status, 400, "timestamp required");
  const list = call(term, "GET", "/service_record?data_id=m1&event_type=use");
  t.is(list.body.length, 1);
  t.is(list.body[0].event_type, "use");
});

test("GET /messages deletes what it returns; requests stay until answered", (t) => {
  const term = make();
  term.inbound.push({ id: "r1", domain_id: "90", trade_contract_id: "20001", contents: [["a"]] }, { id: "r2", domain_id: "90", trade_contract_id: "20002", contents: [["b"]] });
  t.deepEqual(call(term, "GET", "/messages?trade_contract_id=20002").body.map((m: { id: string }) => m.id), ["r2"]);
  t.deepEqual(call(term, "GET", "/messages").body.map((m: { id: string }) => m.id), ["r1"]);
  t.deepEqual(call(term, "GET", "/messages").body, []);
  term.requests.push({ trade_contract_id: "10003", domain_id: "90", request_type: "create", created_at: "2026-11-22T09:00:00+09:00", request_parameter_id: "rp1", condition: "latest=2" });
  t.is(call(term, "GET", "/requests").body.length, 1);
  t.is(call(term, "POST", "/messages", { id: "q1", request_parameter_id: "rp9", trade_contract_id: "10001", contents: [] }).status, 422, "unknown request_parameter_id");
  t.is(call(term, "POST", "/messages", { id: "q1", request_parameter_id: "rp1", trade_contract_id: "10003", contents: [row] }).status, 200);
  t.is(call(term, "GET", "/requests").body.length, 0);
});

test("faults: injected 503/502 and lost replies are recorded", (t) => {
  const term = make();
  term.inject(503, 1);
  term.inject("lose-reply", 1, (r) => r.method === "POST");
  t.is(call(term, "GET", "/requests").status, 503);
  const r = term.handle(req("POST", "/messages", { id: "m1", trade_contract_id: "10001", contents: [row] }));
  t.is(r.kind, "reset");
  t.is(term.messages.length, 1, "processed, reply lost");
  term.down = 502;
  t.is(call(term, "GET", "/requests").status, 502);
  t.deepEqual(term.log.map((l) => l.status), [503, "lose-reply(200)", 502]);
});
