import { z } from "zod";

/*
 * Imported first by planCli.ts, before any module makes a schema: zod compiles
 * a parser of its own (`new Function`) for each object schema on its first
 * parse, which pays for itself only over many parses. A plan parses each
 * config once, so it parses without (the same results: zod's slower path is
 * what the compiled one stands in for). About 2 ms of every plan.
 */
z.config({ jitless: true });
