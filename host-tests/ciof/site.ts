// A CIOF site for tests: the structure registered on the terminal (wire JSON, as the federation
// manager would have it, with terminal-assigned local_ids), the device's own configuration that
// matches it, and the contracts. Pure data: imported by Node tests and by the XS entry alike.
import type { DeviceConfig } from "../../modules/ciof/types";

export const KEY = "k3y-For-Tests_0123456789";
export const DEVICE_ID = "ven0001";
/** 2026-11-22T00:00:00Z = 09:00 JST, the engine's default virtual clock start. */
export const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);

export function terminalServices(): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return [{
    id: "10501", local_id: "x5VrQsPfiqrzc2J", name: "デマンドレスポンス参加", description: "DR participation of one site", device_id: ["ven0001"],
    process_implementations: [
      {
        id: "10601", local_id: "ShN69VWpC9", name: "30分電力量計測", description: "30-minute energy",
        process_operation_implementations: [{ id: "10701", index: 1, data_implementation_id: "10901", operation_type: "create" }],
        event_implementations: [{ id: "10801", local_id: "ThSf7UaGDUnd", event_type: "trigger", name: "30分枠終了", description: "slot closed" }],
      },
      {
        id: "10602", local_id: "Q2mZk8Lw1p", name: "DRイベント実行", description: "DR event execution",
        process_operation_implementations: [{ id: "10702", index: 1, data_implementation_id: "10902", operation_type: "create" }],
        event_implementations: [{ id: "10803", local_id: "Vv93kPq0Aa", event_type: "trigger", name: "DRイベント終了" }],
      },
    ],
  }];
}

function prop(id: string, index: number, name: string, data_type: string, required = true) {
  return { id, index, local_id: "L" + id, name, description: name, data_type, is_primary_key: index === 1, is_required: required, default_value: null };
}

export function terminalData(): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return [
    {
      id: "10901", local_id: "BNA67LcB", name: "30分電力量", description: "30-minute energy slots",
      data_property_implementations: [
        prop("11001", 1, "枠開始", "datetime"), prop("11002", 2, "電力量Wh", "float"), prop("11003", 3, "平均kW", "float"),
        prop("11004", 4, "最大kW", "float"), prop("11005", 5, "推定値", "boolean"), prop("11006", 6, "有効", "boolean"),
      ],
    },
    {
      id: "10902", local_id: "Zx81PqRt", name: "DR参加記録", description: "DR participation records",
      data_property_implementations: [
        prop("11101", 1, "イベントID", "string"), prop("11102", 2, "信号", "string"), prop("11103", 3, "信号値", "float"),
        prop("11104", 4, "オプト", "string"), prop("11105", 5, "開始", "datetime"), prop("11106", 6, "終了", "datetime"),
        prop("11107", 7, "リレー操作", "JSON"), prop("11108", 8, "前kW", "float"), prop("11109", 9, "中kW", "float"),
      ],
    },
  ];
}

function contract(id: string, data: string, proc: string, event: string, sendType: string, start: string | null, end: string | null, params: { title: string; content: string }[] = []) {
  return {
    id, contract_type: "produce", companion_terminal_id: "AGGR00001", send_type: sendType,
    data_implementation_id: data, data_implementation_local_id: data === "10901" ? "BNA67LcB" : "Zx81PqRt",
    service_implementation_id: "10501", service_implementation_local_id: "x5VrQsPfiqrzc2J",
    process_implementation_id: proc, process_implementation_local_id: "-",
    event_implementations_id: [event], event_implementations_local_id: ["-"],
    start_datetime: start, end_datetime: end, contract_parameters: [{ title: "price", content: "1" }, ...params],
  };
}

export function terminalContracts(): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return [
    contract("10001", "10901", "10601", "10801", "push", "2026-01-01T00:00:00.000+09:00", null),
    contract("10002", "10902", "10602", "10803", "push", "2026-01-01T00:00:00.000+09:00", null, [{ title: "service_record", content: "use" }]),
    contract("10003", "10901", "10601", "10801", "pull", "2026-01-01T00:00:00.000+09:00", null),
    contract("10004", "10901", "10601", "10801", "push", "2027-01-01T00:00:00.000+09:00", null),   // not yet in force
    contract("10005", "10901", "10601", "10801", "push", "2025-01-01T00:00:00.000+09:00", "2026-01-01T00:00:00.000+09:00"), // ended
    contract("10006", "10901", "10601", "10801", "push", null, null),                            // never started
  ];
}

export function deviceConfig(): DeviceConfig {
  return {
    services: [{
      localId: "svc_dr", id: "10501", dependsOn: ["relay", "ct", "vtn"],
      processes: [
        { localId: "p_meter", id: "10601", events: [{ localId: "ev_slot", id: "10801" }] },
        { localId: "p_dr", id: "10602", events: [{ localId: "ev_dr", id: "10803" }] },
      ],
    }],
    data: [
      {
        localId: "d_energy", id: "10901", dependsOn: ["ct"],
        properties: [
          { localId: "slot_start", id: "11001", dataType: "datetime", field: "start" },
          { localId: "wh", id: "11002", dataType: "float", field: "wh" },
          { localId: "avg_kw", id: "11003", dataType: "float", field: "avgKw" },
          { localId: "peak_kw", id: "11004", dataType: "float", field: "peakKw" },
          { localId: "estimated", id: "11005", dataType: "boolean", field: "estimated" },
          { localId: "valid", id: "11006", dataType: "boolean", field: "valid" },
        ],
      },
      {
        localId: "d_dr", id: "10902", dependsOn: ["relay"],
        properties: [
          { localId: "event_id", id: "11101", dataType: "string", field: "eventId" },
          { localId: "signal", id: "11102", dataType: "string", field: "signalName" },
          { localId: "signal_value", id: "11103", dataType: "float", field: "signalValue" },
          { localId: "opt", id: "11104", dataType: "string", field: "opt" },
          { localId: "start", id: "11105", dataType: "datetime", field: "start" },
          { localId: "end", id: "11106", dataType: "datetime", field: "end" },
          { localId: "actions", id: "11107", dataType: "JSON", field: "actions" },
          { localId: "kw_before", id: "11108", dataType: "float", field: "kwBefore" },
          { localId: "kw_during", id: "11109", dataType: "float", field: "kwDuring" },
        ],
      },
    ],
    trades: [{ source: "energy", data: "d_energy", record: "read" }, { source: "dr", data: "d_dr" }],
  };
}
