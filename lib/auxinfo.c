/* auxinfo.c: compiled once per payload with -DPAYLOAD_NAME="name" (argv[0]). */
const char *payload_name = PAYLOAD_NAME;
