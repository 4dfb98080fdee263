// A small document with Japanese text in every place text can go (character data, CDATA, attribute
// values, comments, names) and the features a tokenizer state machine has, for split and truncation tests.
export const JAPANESE_DOC = `<?xml version="1.0" encoding="UTF-8"?>
<!-- 需要応答イベント: 東京電力管内 -->
<oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110">
  <ei:eventDescriptor ei:説明="節電要請 &amp; 予告">
    <ei:eventID>EVT-日本-1</ei:eventID>
    <ei:vtnComment>午後1時から3時まで　エアコンの設定温度を２℃上げてください&#x3002;</ei:vtnComment>
    <ei:note><![CDATA[<注意> 😀 ]]]></ei:note>
    <名前 xmlns="urn:例">値</名前>
    <?処理 命令?>
    <ei:empty/>
  </ei:eventDescriptor>
</oadr:oadrPayload>
`;
