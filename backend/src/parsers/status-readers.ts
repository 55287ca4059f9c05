import type { ParseIssue, StatusClient, StatusReport } from '../model';
import { FieldCursor } from './field-cursor';
import { parseLocalTime } from './openvpn-time';
import type { StatusLines } from './status-lines';
import {
  clientColumns,
  clientFromRow,
  routeColumns,
  routeFromRow,
  type ClientColumns,
  type RouteColumns,
} from './status-rows';

/** Status versions 2 (comma) and 3 (tab): every line starts with its record type. */
export class RecordReader {
  private clients: ClientColumns | string = 'comes before its HEADER';
  private routes: RouteColumns | string = 'comes before its HEADER';
  /** Record types announced by a HEADER we do not read (ERRORS, in builds with PACKET_TRUNCATION_CHECK). */
  private readonly otherTypes = new Set<string>();
  private readonly row = new FieldCursor();
  private readonly separator: string;
  /** Routes are two lines of three per client: when they are not wanted, skip them before splitting. */
  private readonly routePrefix: string | null;

  constructor(
    private readonly report: StatusReport,
    private readonly issues: ParseIssue[],
    format: 2 | 3,
    readRoutes: boolean
  ) {
    this.separator = format === 3 ? '\t' : ',';
    this.routePrefix = readRoutes ? null : `ROUTING_TABLE${this.separator}`;
  }

  read(lines: StatusLines): void {
    const { row, report, issues } = this;
    if (this.routePrefix !== null && lines.startsWith(this.routePrefix)) {
      return;
    }
    row.select(lines.text, lines.start, lines.end, this.separator);
    if (row.is(0, 'CLIENT_LIST')) {
      const client = typeof this.clients === 'string' ? this.clients : clientFromRow(row, this.clients);
      addRow(client, report.clients, 'CLIENT_LIST', lines, issues);
    } else if (row.is(0, 'ROUTING_TABLE')) {
      if (this.routePrefix !== null) {
        return;
      }
      const route = typeof this.routes === 'string' ? this.routes : routeFromRow(row, this.routes);
      addRow(route, report.routes, 'ROUTING_TABLE', lines, issues);
    } else if (row.is(0, 'GLOBAL_STATS') && row.count >= 3) {
      report.globalStats[row.field(1)] = row.rest(2);
    } else if (row.is(0, 'HEADER') && row.count >= 2) {
      this.readHeader(lines);
    } else if (row.is(0, 'TITLE') && row.count >= 2) {
      report.title = row.rest(1);
    } else if (row.is(0, 'TIME') && row.count >= 2) {
      readUpdatedAt(row.count >= 3 ? row.decimal(2) : parseLocalTime(row.field(1)), report, lines, issues);
    } else if (!this.otherTypes.has(row.field(0))) {
      issues.push({ line: lines.number, message: `unknown record or too few fields: ${lines.quoted()}` });
    }
  }

  private readHeader(lines: StatusLines): void {
    const { row, issues } = this;
    if (row.is(1, 'CLIENT_LIST')) {
      this.clients = readHeader(clientColumns(row.fields(2), 1), 'HEADER CLIENT_LIST', lines, issues);
    } else if (row.is(1, 'ROUTING_TABLE')) {
      this.routes = readHeader(routeColumns(row.fields(2), 1), 'HEADER ROUTING_TABLE', lines, issues);
    } else {
      this.otherTypes.add(row.field(1));
    }
  }
}

/** Status version 1: titled sections of plain CSV, no time_t and no virtual address per client. */
export class Version1Reader {
  private section: 'CLIENT LIST' | 'ROUTING TABLE' | 'GLOBAL STATS' = 'CLIENT LIST';
  private clients: ClientColumns | string | null = null;
  private routes: RouteColumns | string | null = null;
  private readonly row = new FieldCursor();

  constructor(
    private readonly report: StatusReport,
    private readonly issues: ParseIssue[]
  ) {}

  read(lines: StatusLines): void {
    const { row, report, issues } = this;
    if (lines.is('OpenVPN CLIENT LIST')) {
      return;
    }
    if (lines.is('ROUTING TABLE') || lines.is('GLOBAL STATS')) {
      this.section = lines.is('ROUTING TABLE') ? 'ROUTING TABLE' : 'GLOBAL STATS';
      return;
    }
    if (this.section === 'GLOBAL STATS') {
      this.readStat(lines);
      return;
    }
    row.select(lines.text, lines.start, lines.end, ',');
    if (this.section === 'CLIENT LIST') {
      if (this.clients === null && row.is(0, 'Updated')) {
        readUpdatedAt(parseLocalTime(row.rest(1)), report, lines, issues);
      } else if (this.clients === null) {
        this.clients = readHeader(clientColumns(row.fields(0), 0), 'CLIENT LIST header', lines, issues);
      } else {
        const client = typeof this.clients === 'string' ? this.clients : clientFromRow(row, this.clients);
        addRow(client, report.clients, 'CLIENT LIST', lines, issues);
      }
    } else if (this.routes === null) {
      this.routes = readHeader(routeColumns(row.fields(0), 0), 'ROUTING TABLE header', lines, issues);
    } else {
      const route = typeof this.routes === 'string' ? this.routes : routeFromRow(row, this.routes);
      addRow(route, report.routes, 'ROUTING TABLE', lines, issues);
    }
  }

  /** Call once all lines are read. */
  finish(): void {
    joinVirtualAddresses(this.report);
  }

  private readStat(lines: StatusLines): void {
    const line = lines.line();
    const comma = line.lastIndexOf(',');
    if (comma < 0) {
      this.issues.push({ line: lines.number, message: `GLOBAL STATS line is not 'name,value': ${lines.quoted()}` });
    } else {
      this.report.globalStats[line.slice(0, comma)] = line.slice(comma + 1);
    }
  }
}

/**
 * v1 lists virtual addresses only in the routing table: give each client the host routes that
 * name its common name and real address. Subnet (`/24`) and MAC (`@vid`) routes are iroutes and
 * TAP entries, not the client's own address.
 */
function joinVirtualAddresses(report: StatusReport): void {
  // keyed by real address alone, which is unique but for bare IPv6 addresses (no port) in 2.6
  const byRealAddress = new Map<string, StatusClient>();
  for (const client of report.clients) {
    byRealAddress.set(client.realAddress, client);
  }
  for (const route of report.routes) {
    const address = route.virtualAddress;
    if (address.includes('/') || address.includes('@')) {
      continue;
    }
    const candidate = byRealAddress.get(route.realAddress);
    const client =
      candidate === undefined || candidate.commonName === route.commonName
        ? candidate
        : report.clients.find((c) => c.commonName === route.commonName && c.realAddress === route.realAddress);
    if (client === undefined) {
      continue;
    }
    if (address.includes(':')) {
      client.virtualIpv6 ??= address;
    } else {
      client.virtualIpv4 ??= address;
    }
  }
}

/** A header's column map; when unusable, the reason every row under it will be skipped. */
function readHeader<T>(columns: T | string, what: string, lines: StatusLines, issues: ParseIssue[]): T | string {
  if (typeof columns === 'string') {
    issues.push({ line: lines.number, message: `${what} ${columns}` });
    return `is skipped: its header ${columns}`;
  }
  return columns;
}

function addRow<T>(row: T | string, into: T[], what: string, lines: StatusLines, issues: ParseIssue[]): void {
  if (typeof row === 'string') {
    issues.push({ line: lines.number, message: `${what} row ${row}` });
  } else {
    into.push(row);
  }
}

function readUpdatedAt(seconds: number | null, report: StatusReport, lines: StatusLines, issues: ParseIssue[]): void {
  if (seconds === null) {
    issues.push({ line: lines.number, message: `update time not understood: ${lines.quoted()}` });
  } else {
    report.updatedAt = seconds;
  }
}
