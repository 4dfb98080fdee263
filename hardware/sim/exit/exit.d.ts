/** Ends mcsim at once with this process status (0–255; stdout is flushed first). lin only. */
declare function exit(status: number): never;
export default exit;
