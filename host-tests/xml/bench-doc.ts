// A synthetic oadrDistributeEvent shaped like the captured OpenLEADR session (same namespaces, prefixes,
// default-namespace redeclarations and element order), scaled by event and interval counts. Pure TS:
// usable on Node and inside XS. ≈200 KB with distributeEventXml(20, 28).

function interval(e: number, n: number, value: string): string {
  const minute = String(n % 60).padStart(2, "0");
  return (
    `<ei:interval><xcal:dtstart><xcal:date-time>2026-11-22T${String(2 + (e % 20)).padStart(2, "0")}:${minute}:00.000000Z</xcal:date-time></xcal:dtstart>` +
    `<xcal:duration><xcal:duration>PT1M</xcal:duration></xcal:duration><uid xmlns="urn:ietf:params:xml:ns:icalendar-2.0"><text>${n}</text></uid>` +
    `<ei:signalPayload><ei:payloadFloat><ei:value>${value}</ei:value></ei:payloadFloat></ei:signalPayload></ei:interval>`
  );
}

function event(e: number, intervals: number, comment: string): string {
  let body = "";
  for (let n = 0; n < intervals; n++) body += interval(e, n, String((n * 7 + e) % 4));
  return (
    `<oadr:oadrEvent><ei:eiEvent><ei:eventDescriptor><ei:eventID>EVT-${e}</ei:eventID><ei:modificationNumber>${e % 3}</ei:modificationNumber>` +
    `<ei:modificationDateTime>2026-11-22T02:08:36.007408Z</ei:modificationDateTime><ei:priority>${e % 4}</ei:priority>` +
    `<ei:eiMarketContext><marketContext xmlns="http://docs.oasis-open.org/ns/emix/2011/06">http://MarketContext1</marketContext></ei:eiMarketContext>` +
    `<ei:createdDateTime>2026-11-22T02:08:36.007408Z</ei:createdDateTime><ei:eventStatus>far</ei:eventStatus><ei:testEvent>false</ei:testEvent>` +
    `<ei:vtnComment>${comment}</ei:vtnComment></ei:eventDescriptor>` +
    `<ei:eiActivePeriod><properties xmlns="urn:ietf:params:xml:ns:icalendar-2.0"><dtstart><date-time>2026-11-22T02:08:56.000000Z</date-time></dtstart>` +
    `<duration><duration>PT${intervals}M</duration></duration><tolerance><tolerate><startafter>PT10S</startafter></tolerate></tolerance>` +
    `<ei:x-eiNotification><duration>PT20S</duration></ei:x-eiNotification><ei:x-eiRampUp><duration>PT5S</duration></ei:x-eiRampUp>` +
    `<ei:x-eiRecovery><duration>PT5S</duration></ei:x-eiRecovery></properties><components xmlns="urn:ietf:params:xml:ns:icalendar-2.0" /></ei:eiActivePeriod>` +
    `        <ei:eiEventSignals><ei:eiEventSignal><strm:intervals xmlns:strm="urn:ietf:params:xml:ns:icalendar-2.0:stream" xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0">` +
    body +
    `</strm:intervals><ei:signalName>SIMPLE</ei:signalName><ei:signalType>level</ei:signalType><ei:signalID>SIG-${e}</ei:signalID>` +
    `<ei:currentValue><ei:payloadFloat><ei:value>0</ei:value></ei:payloadFloat></ei:currentValue></ei:eiEventSignal>        </ei:eiEventSignals>` +
    `<ei:eiTarget><ei:venID>VEN-OPENLEADR-1</ei:venID></ei:eiTarget>    </ei:eiEvent><oadr:oadrResponseRequired>always</oadr:oadrResponseRequired></oadr:oadrEvent>`
  );
}

/** oadrDistributeEvent with `events` events of `intervals` intervals each; `comment` goes in each vtnComment. */
export function distributeEventXml(events: number, intervals: number, comment = "scaled benchmark event"): string {
  let body = "";
  for (let e = 0; e < events; e++) body += event(e, intervals, comment);
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07">\n` +
    `<oadr:oadrSignedObject xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" oadr:Id="oadrSignedObject">` +
    `<oadr:oadrDistributeEvent ei:schemaVersion="2.0b" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110">` +
    `<ei:eiResponse><ei:responseCode>200</ei:responseCode><ei:responseDescription>OK</ei:responseDescription>` +
    `<requestID xmlns="http://docs.oasis-open.org/ns/energyinterop/201110/payloads">None</requestID></ei:eiResponse>` +
    `<requestID xmlns="http://docs.oasis-open.org/ns/energyinterop/201110/payloads">55f7bd50-3732-407f-91d7-f3e83d06b1d5</requestID>` +
    `<ei:vtnID>TEST_VTN</ei:vtnID>` +
    body +
    `  </oadr:oadrDistributeEvent></oadr:oadrSignedObject>\n</oadr:oadrPayload>`
  );
}
