/** The subset of the AWS provider's schema the checks read (extract-provider-schema.ts writes it). */
export interface AttributeSchema {
  required: boolean;
}

export interface BlockSchema {
  attributes: Record<string, AttributeSchema>;
  blocks: Record<string, NestedBlockSchema>;
}

export interface NestedBlockSchema extends BlockSchema {
  required: boolean;
}

export interface ProviderSchema {
  provenance: { source: string; extractedBy: string; extractedAt: string };
  providerVersion: string;
  resources: Record<string, BlockSchema>;
  data: Record<string, BlockSchema>;
}
