"""机构职能 and 负责人信息 of each unit."""
