// XS entry for the control tests: exposes the scenarios to the Node side.
import { expose } from "../engine/xs/expose";
import { functions } from "./scenarios";

expose(functions);
