/** One line of `vpnscope status`, in the shape of eduVPN's vpn-server-api-status. */
export interface ServerStatus {
  profile_id: string;
  active_connection_count: number;
  max_connection_count: number | null;
  percentage_in_use: number | null;
  port_client_count: Record<string, number>;
  connection_list: Array<{
    user_id: string;
    common_name: string;
    virtual_address: string[];
    real_address: string;
    connected_since: string;
  }>;
  /** Why the server could not be read; the row then counts nothing. */
  error?: string;
}

/** eduVPN's rounding: floor, so 89.9 % is not reported as 90 % and does not trip an alert early. */
export function percentageInUse(active: number, max: number | null): number | null {
  return max && max > 0 ? Math.floor((active / max) * 100) : null;
}

/** Rows at or above the threshold; servers with an unknown pool size can't be judged and are left out. */
export function atOrAbove(rows: ServerStatus[], percent: number): ServerStatus[] {
  return rows.filter((row) => row.percentage_in_use !== null && row.percentage_in_use >= percent);
}

export function formatCsv(rows: ServerStatus[]): string {
  const lines = ['profile_id,active_connection_count,max_connection_count,percentage_in_use'];
  for (const row of rows) {
    lines.push(
      [
        csvField(row.profile_id),
        row.active_connection_count,
        row.max_connection_count ?? '',
        row.percentage_in_use ?? '',
      ].join(',')
    );
  }
  return lines.join('\n') + '\n';
}

export function formatJson(rows: ServerStatus[], withConnections: boolean): string {
  const shaped = rows.map(({ connection_list, port_client_count, error, ...counts }) => ({
    ...counts,
    ...(withConnections ? { port_client_count, connection_list } : {}),
    ...(error ? { error } : {}),
  }));
  return JSON.stringify(shaped, null, 4) + '\n';
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
