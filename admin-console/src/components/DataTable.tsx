import { useState } from 'react';
import {
  flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type OnChangeFn, type SortingState,
} from '@tanstack/react-table';

/**
 * A sortable table over TanStack Table: a header's button sorts by that column (keyboard: Tab to it, Enter or
 * Space), and the header tells assistive technology the sort direction with aria-sort. Sorted here, or by the
 * gateway when the caller holds the sorting (`sorting` and `onSortingChange`: it asks for the page sorted so).
 * Long cells are cut with an ellipsis and carry their whole text as a title, so the table fits a laptop screen.
 */
export function DataTable<T>({ caption, data, columns, initialSort = [], sorting, onSortingChange }: {
  caption: string;
  data: T[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  initialSort?: SortingState;
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
}) {
  const [localSorting, setLocalSorting] = useState<SortingState>(initialSort);
  const manual = sorting !== undefined && onSortingChange !== undefined;
  const table = useReactTable({
    data,
    columns,
    state: { sorting: manual ? sorting : localSorting },
    onSortingChange: manual ? onSortingChange : setLocalSorting,
    manualSorting: manual,
    enableMultiSort: false,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th key={header.id} scope="col"
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                    {header.column.getCanSort() ? (
                      <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                        {label}<span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                      </button>
                    ) : label}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => {
                const value = cell.getValue();
                return (
                  <td key={cell.id} title={typeof value === 'string' ? value : undefined}>
                    <span className="cell">{flexRender(cell.column.columnDef.cell, cell.getContext())}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
