import { type DataFrame, FieldType } from '@grafana/data';
import type * as Contract from '../backend/src/contract';
import { toDataQueryResponse, toMetricFindValues } from './frames';

const trafficFrame: Contract.DataFrameJSON = {
  schema: {
    name: 'vpn1',
    fields: [
      { name: 'time', type: 'time' },
      { name: 'in', type: 'number', labels: { server: 'vpn1' }, config: { unit: 'Bps', displayName: 'vpn1 in' } },
    ],
  },
  data: {
    values: [
      [1_700_000_000_000, 1_700_000_060_000],
      [1200, 3400],
    ],
  },
};

describe('toDataQueryResponse', () => {
  it('turns backend frames into Grafana frames with their refId, types, labels and units', () => {
    const { data, errors } = toDataQueryResponse({ results: { A: { frames: [trafficFrame] } } });
    expect(errors).toBeUndefined();
    expect(data).toHaveLength(1);
    const frame: DataFrame = data[0];
    expect(frame.refId).toBe('A');
    expect(frame.name).toBe('vpn1');
    expect(frame.length).toBe(2);
    expect(frame.fields.map((field) => field.type)).toEqual([FieldType.time, FieldType.number]);
    expect(frame.fields[1].config).toEqual({ unit: 'Bps', displayName: 'vpn1 in' });
    expect(frame.fields[1].labels).toEqual({ server: 'vpn1' });
    expect(frame.fields[1].values).toEqual([1200, 3400]);
  });

  it('reports a query the backend could not answer, next to the frames of the others', () => {
    const { data, errors } = toDataQueryResponse({
      results: { A: { frames: [trafficFrame] }, B: { frames: [], error: 'no such server: vpn9' } },
    });
    expect(data.map((frame) => frame.refId)).toEqual(['A']);
    expect(errors).toEqual([{ refId: 'B', message: 'no such server: vpn9' }]);
  });
});

describe('toMetricFindValues', () => {
  it('takes the names from the value field of every frame', () => {
    const { data } = toDataQueryResponse({
      results: {
        variable: {
          frames: [
            { schema: { fields: [{ name: 'value', type: 'string' }] }, data: { values: [['vpn1', 'vpn2']] } },
            { schema: { fields: [{ name: 'value', type: 'string' }] }, data: { values: [['pptp1', null]] } },
          ],
        },
      },
    });
    expect(toMetricFindValues(data)).toEqual([{ text: 'vpn1' }, { text: 'vpn2' }, { text: 'pptp1' }]);
  });

  it('falls back to the first text field when no field is called value', () => {
    const { data } = toDataQueryResponse({
      results: {
        variable: {
          frames: [
            {
              schema: {
                fields: [
                  { name: 'count', type: 'number' },
                  { name: 'user', type: 'string' },
                ],
              },
              data: { values: [[3], ['alice']] },
            },
          ],
        },
      },
    });
    expect(toMetricFindValues(data)).toEqual([{ text: 'alice' }]);
  });
});
