// exit(status): ends mcsim at once with that process status (stdout flushed first). lin only.
export default function exit(status) @ "xs_sim_exit";
