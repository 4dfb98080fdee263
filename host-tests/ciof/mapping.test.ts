// Units: datetimes with an explicit offset, cells per data_type, the device-config checks (scoped
// local_id uniqueness), the structure check, contract selection, the pull-request condition grammar,
// and lenient-but-bounded decoding of terminal responses.
import test from "ava";
import fc from "fast-check";
import { formatDateTime, parseDateTime } from "../../modules/ciof/time";
import { buildRow, checkDeviceConfig, checkStructure, formatCell, inForce, parseCondition, produceContracts, recordTypeFor } from "../../modules/ciof/mapping";
import { CiofWireError, decodeDataImplementations, decodeServiceImplementations, decodeTradeContracts, encodeServiceRecord } from "../../modules/ciof/wire";
import { utf8Decode, utf8Encode, utf8Length } from "../../modules/ciof/utf8";
import { T0, deviceConfig, terminalContracts, terminalData, terminalServices } from "./site.ts";

test("datetimes: +09:00 out, Z / offset / local in", (t) => {
  t.is(formatDateTime(T0, 540), "2026-11-22T09:00:00.000+09:00");
  t.is(formatDateTime(T0 + 1, -330), "2026-11-21T18:30:00.001-05:30");
  t.is(parseDateTime("2026-11-22T00:00:00Z"), T0);
  t.is(parseDateTime("2026-11-22T09:00:00.000+09:00"), T0);
  t.is(parseDateTime("2026-11-22T09:00:00"), T0, "no offset: site local time");
  t.is(parseDateTime("2026-11-22 09:00+0900"), T0);
  t.is(parseDateTime("2026-02-30T00:00:00Z"), undefined);
  t.is(parseDateTime("2026-11-22T09:00:00+09:00 "), undefined);
  t.is(parseDateTime(12345), undefined);
  fc.assert(fc.property(fc.integer({ min: 0, max: 4102444800000 }), fc.integer({ min: -720, max: 840 }), (ms, off) => parseDateTime(formatDateTime(ms, off)) === ms));
});

test("cells per data_type", (t) => {
  t.is(formatCell(0.1 + 0.2, "float", 540), "0.3");
  t.is(formatCell(-0, "float", 540), "0");
  t.is(formatCell(NaN, "float", 540), undefined);
  t.is(formatCell(2.6, "integer", 540), "3");
  t.is(formatCell(true, "boolean", 540), "true");
  t.is(formatCell("yes", "boolean", 540), undefined);
  t.is(formatCell(T0, "datetime", 540), "2026-11-22T09:00:00.000+09:00");
  t.is(formatCell([{ a: 1 }], "JSON", 540), '[{"a":1}]');
  t.is(formatCell({ a: 1 }, "string", 540), '{"a":1}');
});

test("utf8 round trip (Japanese remarks)", (t) => {
  const s = "通常状態 ok 🌸";
  t.is(utf8Length(s), Buffer.byteLength(s));
  t.is(utf8Decode(utf8Encode(s)), s);
});

test("device configuration: scoped uniqueness and known fields", (t) => {
  t.deepEqual(checkDeviceConfig(deviceConfig()), []);
  const c = deviceConfig();
  const bad = { ...c, services: [{ ...c.services[0], processes: [c.services[0].processes[0], { ...c.services[0].processes[1], localId: "p_meter" }] }] };
  t.regex(checkDeviceConfig(bad).join(), /"p_meter" is used twice in service svc_dr/);
  const badField = { ...c, data: [{ ...c.data[0], properties: [{ ...c.data[0].properties[0], field: "eventId" }, ...c.data[0].properties.slice(1)] }, c.data[1]] };
  t.regex(checkDeviceConfig(badField).join(), /field eventId is not a field of energy records/);
});

test("structure check: matches by id, reports mismatches clearly", (t) => {
  const s = checkStructure(deviceConfig(), decodeServiceImplementations(terminalServices()), decodeDataImplementations(terminalData()));
  t.deepEqual(s.problems, []);
  t.deepEqual(s.data[0].properties.map((p) => p.localId), ["slot_start", "wh", "avg_kw", "peak_kw", "estimated", "valid"]);
  const data = terminalData();
  data[0].data_property_implementations[1].data_type = "integer";
  data[1].data_property_implementations.push({ id: "11110", index: 10, local_id: "z", name: "extra", data_type: "string", is_primary_key: false, is_required: true, default_value: null });
  const services = terminalServices();
  services[0].process_implementations.pop();
  const m = checkStructure(deviceConfig(), decodeServiceImplementations(services), decodeDataImplementations(data));
  t.is(m.problems.length, 3, m.problems.join("\n"));
  t.true(m.problems.some((p) => /registered data_type integer, device has float/.test(p)));
  t.true(m.problems.some((p) => /required but the device does not fill it/.test(p)));
  t.true(m.problems.some((p) => /process implementation "p_dr" \(id 10602\).*not registered/.test(p)));
});

test("rows in registered index order, whatever the device's order", (t) => {
  const data = terminalData();
  data[0].data_property_implementations.reverse().forEach((p: { index: number }, i: number) => { p.index = i + 1; });
  const s = checkStructure(deviceConfig(), decodeServiceImplementations(terminalServices()), decodeDataImplementations(data));
  const row = buildRow(s.data[0], (f) => ({ start: T0, wh: 1, avgKw: 2, peakKw: 3, estimated: false, valid: true } as Record<string, unknown>)[f], 540);
  t.deepEqual(row, ["true", "false", "3", "2", "1", "2026-11-22T09:00:00.000+09:00"]);
});

test("contracts: only produce contracts in force; the record a contract asks for", (t) => {
  const contracts = decodeTradeContracts(terminalContracts(), 540);
  const s = checkStructure(deviceConfig(), decodeServiceImplementations(terminalServices()), decodeDataImplementations(terminalData()));
  t.deepEqual(produceContracts(contracts, s.data[0], T0, "push").map((c) => c.id), ["10001"]);
  t.deepEqual(produceContracts(contracts, s.data[0], T0).map((c) => c.id), ["10001", "10003"]);
  t.false(inForce(contracts[3], T0));
  t.true(inForce(contracts[3], Date.UTC(2027, 0, 1)));
  t.is(recordTypeFor(contracts[1], { source: "dr", data: "d_dr" }), "use");
  t.is(recordTypeFor(contracts[0], { source: "energy", data: "d_energy", record: false }), undefined);
  t.is(recordTypeFor(contracts[0], { source: "energy", data: "d_energy" }), "read");
});

test("pull condition grammar", (t) => {
  t.deepEqual(parseCondition(undefined, 540), { latest: 1 });
  t.deepEqual(parseCondition("latest=3", 540), { latest: 3, from: undefined, to: undefined });
  t.deepEqual(parseCondition("from=2026-11-22T09:00+09:00; to=2026-11-22T12:00+09:00", 540), { latest: undefined, from: T0, to: T0 + 3 * 3600_000 });
  t.is(typeof parseCondition("最新の3レコードをください", 540), "string");
  t.is(typeof parseCondition("latest=0", 540), "string");
});

test("decoders: lenient on unknown fields, strict on what is needed", (t) => {
  const s = terminalServices();
  s[0].extra = { anything: true };
  t.is(decodeServiceImplementations(s)[0].localId, "x5VrQsPfiqrzc2J");
  t.throws(() => decodeServiceImplementations([{ local_id: "x" }]), { instanceOf: CiofWireError, message: /service_implementations\[0\]\.id/ });
  t.throws(() => decodeServiceImplementations({}), { instanceOf: CiofWireError });
  const c = terminalContracts();
  c[0].start_datetime = "yesterday";
  t.throws(() => decodeTradeContracts(c, 540), { message: /start_datetime/ });
  const numeric = decodeDataImplementations([{ id: 10901, local_id: "d", name: "n", data_property_implementations: [{ id: 1, index: 2, local_id: "b", name: "b", data_type: "float", is_primary_key: false, is_required: false, default_value: 0 }, { id: 2, index: 1, local_id: "a", name: "a", data_type: "float", is_primary_key: false, is_required: true }] }]);
  t.deepEqual(numeric[0].properties.map((p) => p.localId), ["a", "b"], "sorted by index");
  t.is(numeric[0].properties[1].defaultValue, "0");
});

test("service record encoding: local time with offset, only the fields given", (t) => {
  t.deepEqual(encodeServiceRecord({ dataId: "d1", eventType: "error", timestamp: T0, result: "400", note: "n" }, 540),
    { data_id: "d1", event_type: "error", timestamp: "2026-11-22T09:00:00.000+09:00", result: "400", note: "n" });
});
