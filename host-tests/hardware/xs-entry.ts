// XS entry for the hardware tests on in-XS pins.
import { expose } from "../engine/xs/expose";
import { functions } from "./scenarios";

expose(functions);
